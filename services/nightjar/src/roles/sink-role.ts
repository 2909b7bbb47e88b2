import { Sink } from '@nightjar/sink';
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
        await sink.start();
      },
      stop: () => sink.stop(),
      readiness: () => [{ name: 'consumer', ok: sink.ready() }],
    };
  },
};
