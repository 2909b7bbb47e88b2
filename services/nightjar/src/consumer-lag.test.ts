import { describe, expect, it } from 'vitest';
import { createMemoryBus } from '@nightjar/bus/memory';
import { createMetricsRegistry } from '@nightjar/runtime';
import { waitFor } from '@nightjar/testkit';
import { withConsumerLag } from './consumer-lag.ts';

const LAG = /^nightjar_consumer_lag\{group="(.+?)",topic="(.+?)"\} (\d+)$/gm;

describe('withConsumerLag', () => {
  it('reports per group and topic the messages its subscriptions have not handled, and forgets stopped ones', async () => {
    const metrics = createMetricsRegistry({ version: 'test', roles: ['sink'] });
    const bus = withConsumerLag(createMemoryBus(), metrics);
    await bus.ensureTopics([{ name: 'signins', partitions: 2 }]);
    const lag = async (): Promise<string[]> =>
      [...(await metrics.metrics()).matchAll(LAG)].map(([, group, topic, value]) => `${group} ${topic} ${value}`);
    let handled = 0;
    const subscription = await bus.subscribe({
      groupId: 'sink',
      topics: ['signins'],
      maxBatchSize: 1,
      handler: async () => {
        if (handled === 3) throw new Error('the store is away');
        handled += 1;
      },
    });
    await bus.publish(
      'signins',
      Array.from({ length: 10 }, (_, index) => ({ key: `user-${index}`, value: Buffer.from(String(index)) })),
    );
    await waitFor(() => (handled === 3 ? true : undefined), 'three messages handled');
    expect(await lag()).toEqual(['sink signins 7']);
    await subscription.stop();
    expect(await lag()).toEqual([]);
    await bus.close();
  });
});
