import { uniqueName, waitFor } from '@nightjar/testkit';
import type { BusMessage, EventBus, MessageBatch, OutgoingMessage, SubscribeOptions, Subscription } from '../port.ts';

/** Messages `seq-0` … `seq-(count-1)`, keyed round-robin over `keys` so keys interleave. */
export function numbered(count: number, keys = 1, from = 0): OutgoingMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `key-${(from + index) % keys}`,
    value: Buffer.from(`seq-${from + index}`),
  }));
}

export function seq(message: BusMessage): number {
  return Number(message.value.toString().slice('seq-'.length));
}

export interface Collected {
  readonly subscription: Subscription;
  /** Messages of every batch whose handler resolved, in handling order. */
  readonly handled: BusMessage[];
  /** Every batch handed to the handler, including failed attempts. */
  readonly attempts: MessageBatch[];
  readonly errors: unknown[];
  /** Resolves once `count` distinct messages were handled. */
  waitForHandled(count: number, timeoutMs?: number): Promise<void>;
}

type Handler = (batch: MessageBatch, attempt: number) => Promise<void> | void;

/** Subscribes and records what the group receives; stops every subscription through `tracked`. */
export async function collect(
  bus: EventBus,
  tracked: Subscription[],
  options: Partial<SubscribeOptions> & { topics: readonly string[]; onBatch?: Handler },
): Promise<Collected> {
  const handled: BusMessage[] = [];
  const attempts: MessageBatch[] = [];
  const errors: unknown[] = [];
  const subscription = await bus.subscribe({
    groupId: options.groupId ?? uniqueName('group'),
    topics: options.topics,
    ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
    handler: async (batch) => {
      attempts.push(batch);
      await options.onBatch?.(batch, attempts.length);
      handled.push(...batch.messages);
    },
    onHandlerError: (error) => errors.push(error),
  });
  tracked.push(subscription);
  await waitFor(() => subscription.ready() || undefined, 'the subscription to join its group', 20_000);
  return {
    subscription,
    handled,
    attempts,
    errors,
    waitForHandled: async (count, timeoutMs = 20_000) => {
      const distinct = (): number =>
        new Set(handled.map((message) => `${message.topic}/${message.partition}/${message.offset}`)).size;
      await waitFor(() => (distinct() >= count ? true : undefined), `${count} handled messages`, timeoutMs);
    },
  };
}
