import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BusMessage, EventBus } from '../port.ts';
import { createMemoryBus } from './memory-bus.ts';
import { MemoryJournal } from './memory-journal.ts';
import { MemoryLog } from './memory-log.ts';

const DAY_MS = 86_400_000;
const journalPath = (): string => join(mkdtempSync(join(tmpdir(), 'nightjar-journal-')), 'bus.journal');
const message = (key: string, value: string) => ({ key, value: Buffer.from(value), headers: { h: value } });

/** Handles what is there for `groupId`, then stops: the messages it got. */
async function drain(bus: EventBus, groupId: string, topic: string): Promise<BusMessage[]> {
  const got: BusMessage[] = [];
  const subscription = await bus.subscribe({
    groupId,
    topics: [topic],
    handler: async (batch) => void got.push(...batch.messages),
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  await subscription.stop();
  return got;
}

describe('memory bus journal', () => {
  it('restores topics, messages and committed offsets in a process started again on the same file', async () => {
    const path = journalPath();
    const first = createMemoryBus({ journalPath: path });
    await first.ensureTopics([{ name: 'signins', partitions: 2 }]);
    await first.publish('signins', [message('a', 'one'), message('b', 'two')]);
    expect((await drain(first, 'detector', 'signins')).map((one) => one.value.toString()).sort()).toEqual([
      'one',
      'two',
    ]);
    await first.publish('signins', [message('a', 'three')]);
    await first.close();

    const second = createMemoryBus({ journalPath: path });
    await second.ensureTopics([{ name: 'signins', partitions: 2 }]);
    const all = await second.readTopic('signins');
    expect(all.map((one) => [one.key, one.value.toString(), one.headers['h']]).sort()).toEqual([
      ['a', 'one', 'one'],
      ['a', 'three', 'three'],
      ['b', 'two', 'two'],
    ]);
    // The group resumes after what it committed: only the message published after its last batch.
    expect((await drain(second, 'detector', 'signins')).map((one) => one.value.toString())).toEqual(['three']);
    await second.publish('signins', [message('a', 'four')]);
    const offsets = (await second.readTopic('signins')).filter((one) => one.key === 'a').map((one) => one.offset);
    expect(offsets).toEqual(['0', '1', '2']);
    await second.close();
  });

  it('drops a last line torn by a kill and keeps everything before it', async () => {
    const path = journalPath();
    const first = createMemoryBus({ journalPath: path });
    await first.ensureTopics([{ name: 'checkpoints', partitions: 1, compacted: true }]);
    await first.publish('checkpoints', [message('tenant-1/signins', 'w1')]);
    await first.close();
    appendFileSync(path, '{"t":"append","messages":[{"topic":"checkpoints","partition":0,"off');
    const second = createMemoryBus({ journalPath: path });
    await second.ensureTopics([{ name: 'checkpoints', partitions: 1, compacted: true }]);
    expect((await second.readTopic('checkpoints')).map((one) => one.value.toString())).toEqual(['w1']);
    await second.close();
  });

  it('refuses a journal damaged before its last line, naming the line', () => {
    const path = journalPath();
    writeFileSync(path, '{"t":"topic","spec":{"name":"x","partitions":1}}\nnot json\n{"t":"commit"}\n');
    expect(() => createMemoryBus({ journalPath: path })).toThrow(`${path} line 2 is not a journal record`);
  });

  it('compacts on opening: newest message per key, consumed messages past retention, offsets never reused', () => {
    const path = journalPath();
    const first = new MemoryLog(new MemoryJournal(path));
    first.ensure({ name: 'checkpoints', partitions: 1, compacted: true });
    first.ensure({ name: 'signins', partitions: 1, retentionMs: DAY_MS });
    for (const value of ['w1', 'w2', 'w3']) first.append([{ topic: 'checkpoints', messages: [message('t1', value)] }]);
    for (const value of ['s1', 's2', 's3']) first.append([{ topic: 'signins', messages: [message('u1', value)] }]);
    first.commit('detector', 'signins', 0, 2);

    // A week later: s1 and s2 are past retention and consumed; s3 is past retention but not consumed yet.
    const later = new MemoryLog(new MemoryJournal(path), Date.now() + 7 * DAY_MS);
    expect(later.all('checkpoints').map((one) => one.value.toString())).toEqual(['w3']);
    expect(later.all('signins').map((one) => one.value.toString())).toEqual(['s3']);
    expect(later.read('signins', 0, later.committed('detector', 'signins', 0)!, 10).map((one) => one.offset)).toEqual([
      '2',
    ]);
    later.append([{ topic: 'checkpoints', messages: [message('t1', 'w4')] }]);
    expect(later.all('checkpoints').map((one) => one.offset)).toEqual(['2', '3']);

    const reopened = new MemoryLog(new MemoryJournal(path));
    expect(reopened.all('checkpoints').map((one) => [one.offset, one.value.toString()])).toEqual([['3', 'w4']]);
    expect(reopened.end('signins', 0)).toBe(3);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).length).toBeLessThan(10);
  });
});
