import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { EventBus, MessageBatch, Subscription } from '@nightjar/bus';
import { errorMessage } from '@nightjar/core';
import { decodeEvent, encodeEvent, type DeadLetter } from '@nightjar/events';
import { loadMigrations, migrate, type HistoryStore } from '@nightjar/store';
import { MIGRATIONS_DIR, TABLES, toRow } from './tables.ts';

export interface SinkOptions {
  readonly bus: EventBus;
  readonly store: HistoryStore;
  /** Every topic to keep, and the dead-letter topic undecodable messages go to. */
  readonly topics: readonly string[];
  readonly deadLetterTopic: string;
  readonly groupId?: string;
  readonly maxBatchSize?: number;
  readonly log: Logger;
  readonly metrics: Registry;
}

/**
 * Keeps every event in ClickHouse. A batch is committed on the bus only after
 * its rows are inserted; a failed insert is retried (with the bus's backoff)
 * under the same deduplication token, and tables replace rows by event id,
 * so neither a retry nor a replay of the topic leaves a second row.
 */
export class Sink {
  readonly #options: SinkOptions;
  readonly #rows: Counter<'table'>;
  readonly #insertSeconds: Histogram<'table'>;
  readonly #rejected: Counter<'topic'>;
  #subscription: Subscription | undefined;

  constructor(options: SinkOptions) {
    this.#options = options;
    const registers = [options.metrics];
    this.#rows = new Counter({
      name: 'nightjar_sink_rows_total',
      help: 'Rows inserted',
      labelNames: ['table'],
      registers,
    });
    this.#insertSeconds = new Histogram({
      name: 'nightjar_sink_insert_seconds',
      help: 'Insert latency',
      labelNames: ['table'],
      registers,
    });
    this.#rejected = new Counter({
      name: 'nightjar_sink_undecodable_total',
      help: 'Messages sent to dead letters',
      labelNames: ['topic'],
      registers,
    });
  }

  async start(): Promise<void> {
    const { store, bus, log } = this.#options;
    const { applied } = await migrate(store, await loadMigrations(MIGRATIONS_DIR), { logger: log });
    if (applied.length > 0) log.info({ applied: applied.map((migration) => migration.name) }, 'history store migrated');
    this.#subscription = await bus.subscribe({
      groupId: this.#options.groupId ?? 'nightjar-sink',
      topics: this.#options.topics,
      maxBatchSize: this.#options.maxBatchSize ?? 5_000,
      handler: (batch) => this.#handle(batch),
      onHandlerError: (error, batch) =>
        log.warn(
          { err: error, topic: batch.topic, partition: batch.partition },
          'insert failed; the batch will be delivered again',
        ),
    });
  }

  ready(): boolean {
    return this.#subscription?.ready() ?? false;
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop();
  }

  async #handle(batch: MessageBatch): Promise<void> {
    const byTable = new Map<string, Record<string, unknown>[]>();
    const undecodable: DeadLetter[] = [];
    for (const message of batch.messages) {
      try {
        const decoded = decodeEvent(message.value);
        const table = TABLES[decoded.kind];
        const rows = byTable.get(table) ?? [];
        rows.push(toRow(decoded.kind, decoded.event));
        byTable.set(table, rows);
      } catch (error) {
        undecodable.push({
          msp_id: message.headers['msp-id'] ?? 'unknown',
          tenant_id: null,
          source: message.topic,
          stage: 'sink',
          reason: errorMessage(error),
          time: message.timestamp,
          payload: message.value.toString('base64'),
          location: `${message.topic}/${message.partition}/${message.offset}`,
        });
      }
    }
    const first = batch.messages[0]?.offset;
    const last = batch.messages.at(-1)?.offset;
    for (const [table, rows] of byTable) {
      const timer = this.#insertSeconds.startTimer({ table });
      await this.#options.store.insert(table, rows, {
        deduplicationToken: `${batch.topic}:${batch.partition}:${first}-${last}:${table}`,
      });
      timer();
      this.#rows.inc({ table }, rows.length);
    }
    if (undecodable.length > 0) await this.#deadLetter(batch.topic, undecodable);
  }

  async #deadLetter(topic: string, letters: readonly DeadLetter[]): Promise<void> {
    this.#rejected.inc({ topic }, letters.length);
    if (topic === this.#options.deadLetterTopic) {
      // Never loop a dead-letter topic into itself: such letters are kept as rows directly.
      await this.#options.store.insert(
        TABLES['dead-letter'],
        letters.map((letter) => toRow('dead-letter', letter)),
      );
      return;
    }
    await this.#options.bus.publish(
      this.#options.deadLetterTopic,
      letters.map((letter) => encodeEvent({ kind: 'dead-letter', event: letter })),
    );
  }
}
