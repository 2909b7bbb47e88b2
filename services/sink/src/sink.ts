import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { BusMessage, EventBus, MessageBatch, Subscription } from '@nightjar/bus';
import { errorMessage } from '@nightjar/core';
import { decodeEvent, encodeEvent, type DeadLetter } from '@nightjar/events';
import { loadMigrations, migrate, type HistoryStore } from '@nightjar/store';
import { insertRejectingBadRows } from './rejections.ts';
import { MIGRATIONS_DIR, rowsOf, TABLES, toRow, type TableRow } from './tables.ts';

interface PendingRow {
  readonly row: Record<string, unknown>;
  readonly message: BusMessage;
}

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
 * its rows are inserted; an insert that fails because the store is out of
 * reach is retried (with the bus's backoff) under the same deduplication
 * token, and tables replace rows by event id, so neither a retry nor a replay
 * of the topic leaves a second row. Messages that cannot be decoded, and rows
 * ClickHouse refuses as data (which no retry would change), go to the dead
 * letters with the reason, and the batch is committed.
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
      // Batched by size and time: ClickHouse wants few large inserts, and a second is no delay for history.
      gather: { bytes: 1_048_576, waitMs: 1_000 },
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
    const byTable = new Map<string, PendingRow[]>();
    const letters: DeadLetter[] = [];
    for (const message of batch.messages) {
      let rows: TableRow[];
      try {
        rows = rowsOf(decodeEvent(message.value));
      } catch (error) {
        letters.push(deadLetterOf(message, errorMessage(error)));
        continue;
      }
      for (const { table, row } of rows) {
        const pending = byTable.get(table) ?? [];
        pending.push({ row, message });
        byTable.set(table, pending);
      }
    }
    const first = batch.messages[0]?.offset;
    const last = batch.messages.at(-1)?.offset;
    for (const [table, pending] of byTable) {
      const timer = this.#insertSeconds.startTimer({ table });
      const rejected = await insertRejectingBadRows(pending, (part, range) =>
        this.#options.store.insert(
          table,
          part.map((item) => item.row),
          { deduplicationToken: `${batch.topic}:${batch.partition}:${first}-${last}:${table}${range}` },
        ),
      );
      timer();
      this.#rows.inc({ table }, pending.length - rejected.length);
      for (const { item, reason } of rejected) {
        this.#options.log.warn(
          { table, location: locationOf(item.message), reason },
          'ClickHouse refused a row; it goes to the dead letters',
        );
        letters.push(deadLetterOf(item.message, `${table} refused the row: ${reason}`, item.row));
      }
    }
    if (letters.length > 0) await this.#deadLetter(batch.topic, letters);
  }

  async #deadLetter(topic: string, letters: readonly DeadLetter[]): Promise<void> {
    this.#rejected.inc({ topic }, letters.length);
    if (topic === this.#options.deadLetterTopic) {
      // Never loop a dead-letter topic into itself: such letters are kept as rows directly.
      const table = TABLES['dead-letter'];
      await this.#options.store.insert(
        table,
        letters.map((letter) => toRow('dead-letter', letter)),
      );
      this.#rows.inc({ table }, letters.length);
      return;
    }
    await this.#options.bus.publish(
      this.#options.deadLetterTopic,
      letters.map((letter) => encodeEvent({ kind: 'dead-letter', event: letter })),
    );
  }
}

function locationOf(message: BusMessage): string {
  return `${message.topic}/${message.partition}/${message.offset}`;
}

function deadLetterOf(message: BusMessage, reason: string, row?: Record<string, unknown>): DeadLetter {
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    msp_id: text(row?.['msp_id']) ?? message.headers['msp-id'] ?? 'unknown',
    tenant_id: text(row?.['tenant_id']) ?? null,
    source: message.topic,
    stage: 'sink',
    reason,
    time: message.timestamp,
    payload: message.value.toString('base64'),
    location: locationOf(message),
  };
}
