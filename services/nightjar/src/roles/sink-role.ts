import { Sink } from '@nightjar/sink';
import { applyRetention } from '@nightjar/store';
import type { RoleDefinition } from '../roles.ts';
import { eventTopic, eventTopicSpecs } from './topics.ts';

export const sinkRole: RoleDefinition = {
  name: 'sink',
  needs: ['bus', 'store'],
  create({ config, ports, log, metrics }) {
    const topics = eventTopicSpecs(config);
    const sink = new Sink({
      // One group per deployment (see the detector role).
      groupId: `${config.kafka.topicPrefix}sink`,
      bus: ports.bus,
      store: ports.store,
      topics: topics.map((topic) => topic.name),
      deadLetterTopic: eventTopic(config, 'dead-letter'),
      log,
      metrics,
    });
    return {
      name: 'sink',
      start: async () => {
        await ports.bus.ensureTopics(topics);
        // Starting migrates the store; the retention settings apply to the tables it leaves.
        await sink.start();
        const retention = await applyRetention(ports.store, config.clickhouse.retentionDays);
        if (retention.length > 0) log.info({ retention }, 'history retention set');
      },
      stop: () => sink.stop(),
      readiness: () => [{ name: 'consumer', ok: sink.ready() }],
    };
  },
};
