import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName, waitFor } from '@nightjar/testkit';
import type { EventBus, Subscription } from '../port.ts';
import { collect, numbered, seq } from './collector.ts';

/**
 * The delivery contract of the bus port (see ../port.ts), run against every
 * adapter. `makeBus` is called once per suite; the suite closes the bus.
 */
export function describeBusContract(name: string, makeBus: () => Promise<EventBus> | EventBus): void {
  describe(`${name} bus contract`, () => {
    let bus: EventBus;
    const subscriptions: Subscription[] = [];

    beforeAll(async () => {
      bus = await makeBus();
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
    });
    afterAll(async () => {
      await bus.close();
    });

    async function newTopic(partitions: number): Promise<string> {
      const topic = uniqueName('contract');
      await bus.ensureTopics([{ name: topic, partitions }]);
      return topic;
    }

    it('delivers every message to every subscribing group', async () => {
      const topic = await newTopic(3);
      await bus.publish(topic, numbered(20, 5));
      const first = await collect(bus, subscriptions, { topics: [topic] });
      const second = await collect(bus, subscriptions, { topics: [topic] });
      await Promise.all([first.waitForHandled(20), second.waitForHandled(20)]);
      for (const group of [first, second]) {
        expect(group.handled.map(seq).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
      }
    });

    it('keeps the order of messages with the same key', async () => {
      const topic = await newTopic(3);
      for (let from = 0; from < 120; from += 30) await bus.publish(topic, numbered(30, 7, from));
      const group = await collect(bus, subscriptions, { topics: [topic], maxBatchSize: 7 });
      await group.waitForHandled(120);
      for (let key = 0; key < 7; key++) {
        const received = group.handled.filter((message) => message.key === `key-${key}`).map(seq);
        const published = [...Array(120).keys()].filter((value) => value % 7 === key);
        expect(received).toEqual(published);
      }
      expect(Math.max(...group.attempts.map((batch) => batch.messages.length))).toBeLessThanOrEqual(7);
    });

    it('delivers a failed batch again and loses nothing', async () => {
      const topic = await newTopic(2);
      await bus.publish(topic, numbered(40, 4));
      const failedOnce = new Set<number>();
      const group = await collect(bus, subscriptions, {
        topics: [topic],
        maxBatchSize: 5,
        onBatch: (batch) => {
          const values = batch.messages.map(seq);
          // Fail the first attempt of every batch that carries a multiple of 9.
          if (values.some((value) => value % 9 === 0 && !failedOnce.has(value))) {
            values.forEach((value) => failedOnce.add(value));
            throw new Error('handler failed on purpose');
          }
        },
      });
      await group.waitForHandled(40);
      expect(group.errors.length).toBeGreaterThan(0);
      expect(new Set(group.handled.map(seq)).size).toBe(40);
      for (const value of failedOnce) {
        expect(group.handled.map(seq)).toContain(value);
      }
      for (let key = 0; key < 4; key++) {
        const received = group.handled.filter((message) => message.key === `key-${key}`).map(seq);
        expect(received).toEqual([...received].sort((a, b) => a - b));
      }
    });

    it('does not commit past a batch whose handler keeps failing', async () => {
      const topic = await newTopic(1);
      await bus.publish(topic, numbered(12));
      const groupId = uniqueName('group');
      const failing = await collect(bus, subscriptions, {
        topics: [topic],
        groupId,
        maxBatchSize: 1,
        onBatch: (batch) => {
          if (seq(batch.messages[0]!) >= 5) throw new Error('stuck on purpose');
        },
      });
      await waitFor(() => (failing.errors.length >= 2 ? true : undefined), 'two failed attempts');
      const behind = (collected: typeof failing): number =>
        collected.subscription.lag().reduce((sum, partition) => sum + partition.messages, 0);
      expect(behind(failing), 'lag of the stuck member').toBe(7);
      await failing.subscription.stop();
      expect(failing.handled.map(seq)).toEqual([0, 1, 2, 3, 4]);

      const resumed = await collect(bus, subscriptions, { topics: [topic], groupId });
      await resumed.waitForHandled(7);
      expect(resumed.handled.map(seq)).toEqual([5, 6, 7, 8, 9, 10, 11]);
      await waitFor(() => (behind(resumed) === 0 ? true : undefined), 'the lag of the resumed member to reach 0');
    });

    it('finishes and commits the in-flight batch on stop, and a new member resumes after it', async () => {
      const topic = await newTopic(1);
      await bus.publish(topic, numbered(12));
      const groupId = uniqueName('group');
      let release = (): void => undefined;
      const blocked = new Promise<void>((resolve) => (release = resolve));
      const first = await collect(bus, subscriptions, {
        topics: [topic],
        groupId,
        maxBatchSize: 1,
        onBatch: async (batch) => {
          if (seq(batch.messages[0]!) === 5) await blocked;
        },
      });
      await waitFor(() => (first.attempts.length === 6 ? true : undefined), 'the sixth message to be in flight');
      let stopped = false;
      const stopping = first.subscription.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect(first.handled.map(seq)).toEqual([0, 1, 2, 3, 4, 5]);

      const second = await collect(bus, subscriptions, { topics: [topic], groupId });
      await second.waitForHandled(6);
      expect(second.handled.map(seq)).toEqual([6, 7, 8, 9, 10, 11]);
    });

    it('round-trips keys, binary values and headers', async () => {
      const topic = await newTopic(2);
      const value = Buffer.from([0, 1, 2, 254, 255]);
      await bus.publish(topic, [
        { key: 'tenant-a:user-1', value, headers: { 'content-type': 'avro/binary', 'x-schema': 'signins.v1' } },
        { key: 'tenant-b', value: Buffer.from('plain') },
      ]);
      const group = await collect(bus, subscriptions, { topics: [topic] });
      await group.waitForHandled(2);
      const byKey = new Map(group.handled.map((message) => [message.key, message]));
      const first = byKey.get('tenant-a:user-1')!;
      expect(first.value.equals(value)).toBe(true);
      expect(first.headers).toEqual({ 'content-type': 'avro/binary', 'x-schema': 'signins.v1' });
      expect(first.topic).toBe(topic);
      expect(first.offset).toMatch(/^\d+$/);
      expect(Math.abs(first.timestamp - Date.now())).toBeLessThan(60_000);
      expect(byKey.get('tenant-b')!.headers).toEqual({});
    });

    it('publishes to several topics atomically', async () => {
      const [events, checkpoints] = [await newTopic(2), await newTopic(1)];
      await bus.publishAtomically([
        { topic: events, messages: numbered(5, 2) },
        { topic: checkpoints, messages: [{ key: 'tenant-a', value: Buffer.from('seq-99') }] },
      ]);
      const group = await collect(bus, subscriptions, { topics: [events, checkpoints] });
      await group.waitForHandled(6);
      expect(group.handled.map(seq).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 99]);
    });

    it('reads a whole topic, transactional writes included, without a consumer group', async () => {
      const topic = await newTopic(3);
      expect(await bus.readTopic(topic)).toEqual([]);
      await bus.publish(topic, numbered(7, 3));
      await bus.publishAtomically([{ topic, messages: numbered(3, 3, 7) }]);
      const read = await bus.readTopic(topic);
      expect(read.map(seq).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
      for (const key of ['key-0', 'key-1', 'key-2']) {
        const ofKey = read.filter((message) => message.key === key).map(seq);
        expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
      }
    });
  });
}
