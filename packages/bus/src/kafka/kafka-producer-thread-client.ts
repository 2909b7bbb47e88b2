import { Worker } from 'node:worker_threads';
import { logLevel } from 'kafkajs';
import type { TopicMessages } from '../port.ts';
import { asBusError, unavailable } from './kafka-errors.ts';
import { kafkaLogCreator, type BusLogger } from './kafka-logger.ts';
import {
  fromWire,
  pack,
  type ProducerThreadSettings,
  type ThreadReply,
  type ThreadRequest,
  type WireError,
} from './kafka-transactional-wire.ts';

export interface TransactionalProducer {
  /** Writes all entries in one transaction; rejects when it aborted. */
  publish(entries: readonly TopicMessages[]): Promise<void>;
  /** Begins and aborts an empty transaction: fences a dead predecessor with the same id. */
  fence(): Promise<void>;
  close(): Promise<void>;
}

type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Waiting {
  readonly what: string;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The bus's side of the producer thread (kafka-producer-thread.ts). The
 * thread starts on first use and again after it died; requests it had not
 * answered then fail, which aborts nothing the broker would keep: an open
 * transaction of a dead producer is aborted when the next one fences it or
 * when it times out.
 */
export function transactionalProducerThread(
  settings: ProducerThreadSettings,
  logger?: BusLogger,
): TransactionalProducer {
  const log = logger ? kafkaLogCreator(logger)(logLevel.INFO) : undefined;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let worker: Worker | undefined;

  const failAll = (error: unknown): void => {
    for (const [id, request] of waiting) {
      waiting.delete(id);
      request.reject(asBusError(settings.brokers, request.what, error));
    }
  };

  const started = (): Worker => {
    if (worker) return worker;
    const thread = new Worker(new URL('./kafka-producer-thread.ts', import.meta.url), { workerData: settings });
    thread.on('message', (message: ThreadReply) => {
      if (message.kind === 'log') {
        log?.({
          namespace: message.namespace,
          level: message.level,
          label: '',
          log: { timestamp: '', message: '', ...message.log },
        });
        return;
      }
      const request = waiting.get(message.id);
      if (!request) return;
      waiting.delete(message.id);
      if (message.kind === 'done') request.resolve();
      else request.reject(busError(settings.brokers, request.what, message.error));
    });
    thread.on('error', failAll);
    thread.on('exit', (code) => {
      if (worker === thread) worker = undefined;
      failAll(new Error(`the Kafka producer thread exited with code ${code}`));
    });
    worker = thread;
    return thread;
  };

  const send = (what: string, request: Unnumbered<ThreadRequest>, transfer: ArrayBuffer[] = []): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const id = (nextId += 1);
      waiting.set(id, { what, resolve, reject });
      started().postMessage({ ...request, id }, transfer);
    });

  return {
    publish: (entries) => {
      const transaction = pack(entries);
      return send('publish transaction', { op: 'publish', transaction }, [transaction.values]);
    },
    fence: () => send('initialise transactions', { op: 'fence' }),
    async close() {
      const thread = worker;
      if (!thread) return;
      await send('disconnect', { op: 'close' }).catch(() => undefined);
      worker = undefined;
      await thread.terminate();
    },
  };
}

function busError(brokers: readonly string[], what: string, wire: WireError): unknown {
  const error = fromWire(wire);
  return wire.unreachable ? unavailable(brokers, what, error) : asBusError(brokers, what, error);
}
