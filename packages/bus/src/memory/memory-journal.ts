import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BusMessage, TopicSpec } from '../port.ts';

/** One line of the journal: a topic created, messages appended (one publish, whole), or an offset committed. */
export type JournalRecord =
  | { readonly t: 'topic'; readonly spec: TopicSpec; readonly next?: readonly number[] }
  | { readonly t: 'append'; readonly messages: readonly JournalMessage[] }
  | {
      readonly t: 'commit';
      readonly group: string;
      readonly topic: string;
      readonly partition: number;
      readonly offset: number;
    };

export interface JournalMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  /** The value, base64. */
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timestamp: number;
}

export function toJournal(message: BusMessage): JournalMessage {
  return { ...message, offset: Number(message.offset), value: message.value.toString('base64') };
}

export function fromJournal(message: JournalMessage): BusMessage {
  return { ...message, offset: String(message.offset), value: Buffer.from(message.value, 'base64') };
}

/**
 * The embedded bus's log on disk: one JSON line per publish and per commit,
 * appended synchronously before the call returns, so a killed process keeps
 * everything it acknowledged. A torn last line (killed mid-write) belonged to
 * a publish or commit that never returned, and is dropped on reading.
 */
export class MemoryJournal {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
    mkdirSync(dirname(path), { recursive: true });
  }

  get path(): string {
    return this.#path;
  }

  read(): JournalRecord[] {
    if (!existsSync(this.#path)) return [];
    const lines = readFileSync(this.#path, 'utf8').split('\n');
    const records: JournalRecord[] = [];
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as JournalRecord);
      } catch (error) {
        if (index >= lines.length - 2) break;
        throw new Error(`${this.#path} line ${index + 1} is not a journal record`, { cause: error });
      }
    }
    return records;
  }

  write(record: JournalRecord): void {
    appendFileSync(this.#path, `${JSON.stringify(record)}\n`);
  }

  /** Replaces the journal with `records` (a compacted copy), atomically. */
  rewrite(records: readonly JournalRecord[]): void {
    const next = `${this.#path}.next`;
    writeFileSync(next, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    renameSync(next, this.#path);
  }
}
