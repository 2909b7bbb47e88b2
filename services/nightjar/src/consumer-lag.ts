import { Gauge } from 'prom-client';
import type { EventBus, Subscription } from '@nightjar/bus';
import type { Registry } from '@nightjar/runtime';

/**
 * The bus, with `nightjar_consumer_lag{group,topic}` on the process's
 * metrics: messages appended to the partitions its subscriptions hold that
 * they have not handled yet. Whatever role subscribes gets it, so every
 * consuming role reports lag the same way without knowing about it.
 */
export function withConsumerLag(bus: EventBus, metrics: Registry): EventBus {
  const live = new Map<Subscription, string>();
  new Gauge({
    name: 'nightjar_consumer_lag',
    help: 'Messages on the partitions this process holds that its consumer group has not handled yet',
    labelNames: ['group', 'topic'] as const,
    registers: [metrics],
    collect() {
      this.reset();
      for (const [subscription, group] of live) {
        for (const partition of subscription.lag()) this.inc({ group, topic: partition.topic }, partition.messages);
      }
    },
  });
  return {
    kind: bus.kind,
    publish: (topic, messages) => bus.publish(topic, messages),
    publishAtomically: (entries) => bus.publishAtomically(entries),
    ensureTopics: (topics) => bus.ensureTopics(topics),
    readTopic: (topic, options) => bus.readTopic(topic, options),
    close: () => bus.close(),
    subscribe: async (options) => {
      const subscription = await bus.subscribe(options);
      live.set(subscription, options.groupId);
      return {
        ready: () => subscription.ready(),
        lag: () => subscription.lag(),
        stop: async () => {
          live.delete(subscription);
          await subscription.stop();
        },
      };
    },
  };
}
