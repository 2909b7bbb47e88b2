import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertReachable, kafkaBrokers, parseHostPort, uniqueName, waitFor } from '@nightjar/testkit';
import type { BusMessage, EventBus, Subscription } from '../port.ts';
import { createKafkaBus } from './index.ts';
import { killAll, startConsumerProcess, waitForExit, type ConsumerProcess } from './fixtures/consumer-processes.ts';

const messages = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ key: `key-${index % 20}`, value: Buffer.from(`seq-${index}`) }));
const values = (count: number) => Array.from({ length: count }, (_, index) => `seq-${index}`).sort();

describe('kafka consumer groups across processes', () => {
  let bus: EventBus;
  const children: ConsumerProcess[] = [];
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    await assertReachable('Kafka', parseHostPort(kafkaBrokers()[0]!));
    bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('bus-group'), sessionTimeoutMs: 10_000 });
  });
  afterEach(async () => {
    await killAll(children.splice(0));
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
  });
  afterAll(async () => {
    await bus.close();
  });

  it('shares the partitions of a topic between two member processes', async () => {
    const topic = uniqueName('group-shared');
    const groupId = uniqueName('group');
    await bus.ensureTopics([{ name: topic, partitions: 4 }]);
    const members = [
      startConsumerProcess(kafkaBrokers(), topic, groupId),
      startConsumerProcess(kafkaBrokers(), topic, groupId),
    ];
    children.push(...members);
    await waitFor(
      () => {
        const [first, second] = members.map((member) => member.assigned(topic) ?? []);
        return first!.length > 0 && second!.length > 0 && first!.length + second!.length === 4 ? true : undefined;
      },
      'both members to hold partitions',
      25_000,
    );

    await bus.publish(topic, messages(40));
    const received = () => members.flatMap((member) => member.messages('handled').map((message) => message.value));
    await waitFor(() => (new Set(received()).size === 40 ? true : undefined), 'all 40 messages across both members');
    expect(received().sort()).toEqual(values(40));
    for (const member of members) expect(member.messages('handled').length).toBeGreaterThan(0);
  }, 40_000);

  it('redelivers to another member what a killed member handled but did not commit', async () => {
    const topic = uniqueName('group-killed');
    const groupId = uniqueName('group');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, messages(10));
    // Batches of 3: the first is handled and committed, the second is in the handler when the process dies.
    const doomed = startConsumerProcess(kafkaBrokers(), topic, groupId, 2);
    children.push(doomed);
    await waitFor(
      () => (doomed.messages('hanging').length > 0 ? true : undefined),
      'the member to hang in its second batch',
      20_000,
    );
    doomed.child.kill('SIGKILL');
    await waitForExit(doomed);
    expect(doomed.messages('handled').map((message) => message.value)).toEqual(['seq-0', 'seq-1', 'seq-2']);

    const received: BusMessage[] = [];
    subscriptions.push(
      await bus.subscribe({
        groupId,
        topics: [topic],
        handler: async (batch) => void received.push(...batch.messages),
      }),
    );
    // The survivor gets the partition once the broker expires the dead member's session.
    await waitFor(
      () => (received.length >= 7 ? true : undefined),
      'the uncommitted messages to be redelivered',
      25_000,
    );
    const uncommitted = Array.from({ length: 7 }, (_, index) => `seq-${index + 3}`);
    expect(received.map((message) => message.value.toString())).toEqual(uncommitted);
    expect(doomed.messages('hanging').map((message) => message.value)).toEqual(['seq-3', 'seq-4', 'seq-5']);
  }, 45_000);
});
