import type { SASLOptions } from 'kafkajs';
import type { TopicMessages } from '../port.ts';

/**
 * What travels between the bus and its transactional producer thread. The
 * values of a transaction are packed into one buffer that is moved, not
 * copied, to the thread; the rest is small and cloned.
 */
export interface ProducerThreadSettings {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly connectionTimeout: number;
  readonly connectDeadlineMs: number;
  readonly ssl?: boolean;
  /** Plain or SCRAM: options that are data only, as a thread can be handed nothing else. */
  readonly sasl?: SASLOptions;
  readonly transactionalId: string;
  readonly transactionTimeout: number;
  /** Forward KafkaJS's log lines to the bus's logger. */
  readonly log: boolean;
}

export interface PackedMessage {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PackedTransaction {
  readonly values: ArrayBuffer;
  readonly entries: readonly { readonly topic: string; readonly messages: readonly PackedMessage[] }[];
}

export type ThreadRequest =
  | { readonly id: number; readonly op: 'publish'; readonly transaction: PackedTransaction }
  | { readonly id: number; readonly op: 'fence' }
  | { readonly id: number; readonly op: 'close' };

/** An error as it crosses the thread boundary: the fields the bus's error mapping reads. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly type?: string;
  readonly code?: number;
  readonly retriable?: boolean;
  /** Not connected within the deadline: the cluster is unreachable. */
  readonly unreachable?: boolean;
  /** What KafkaJS wrapped (a connection error inside a "non-retriable" one, for example). */
  readonly cause?: WireError;
}

export type ThreadReply =
  | { readonly kind: 'done'; readonly id: number }
  | { readonly kind: 'failed'; readonly id: number; readonly error: WireError }
  | { readonly kind: 'log'; readonly level: number; readonly namespace: string; readonly log: Record<string, unknown> };

export function pack(entries: readonly TopicMessages[]): PackedTransaction {
  let bytes = 0;
  for (const entry of entries) for (const message of entry.messages) bytes += message.value.length;
  const values = new ArrayBuffer(bytes);
  const target = Buffer.from(values);
  let offset = 0;
  const packed = entries.map((entry) => ({
    topic: entry.topic,
    messages: entry.messages.map((message): PackedMessage => {
      const start = offset;
      offset += message.value.copy(target, start);
      return message.headers
        ? { key: message.key, start, end: offset, headers: message.headers }
        : { key: message.key, start, end: offset };
    }),
  }));
  return { values, entries: packed };
}

export function unpack(transaction: PackedTransaction): TopicMessages[] {
  const values = Buffer.from(transaction.values);
  return transaction.entries.map((entry) => ({
    topic: entry.topic,
    messages: entry.messages.map((message) => ({
      key: message.key,
      value: values.subarray(message.start, message.end),
      ...(message.headers ? { headers: message.headers } : {}),
    })),
  }));
}

export function toWire(error: unknown, unreachable = false): WireError {
  const fields = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    type?: unknown;
    code?: unknown;
    retriable?: unknown;
    cause?: unknown;
  };
  return {
    name: typeof fields.name === 'string' ? fields.name : 'Error',
    message: typeof fields.message === 'string' ? fields.message : String(error),
    ...(typeof fields.type === 'string' ? { type: fields.type } : {}),
    ...(typeof fields.code === 'number' ? { code: fields.code } : {}),
    ...(typeof fields.retriable === 'boolean' ? { retriable: fields.retriable } : {}),
    ...(unreachable ? { unreachable } : {}),
    ...(fields.cause instanceof Error ? { cause: toWire(fields.cause) } : {}),
  };
}

/** An Error carrying the wire fields, so the bus maps it as it would the KafkaJS error itself. */
export function fromWire(wire: WireError): Error {
  const error = new Error(wire.message) as Error & { type?: string; code?: number; retriable?: boolean };
  error.name = wire.name;
  if (wire.type !== undefined) error.type = wire.type;
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.retriable !== undefined) error.retriable = wire.retriable;
  if (wire.cause) error.cause = fromWire(wire.cause);
  return error;
}
