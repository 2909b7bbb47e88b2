import { systemClock } from '@nightjar/core';
import type { Clock } from '@nightjar/core';
import type { StateOp, StateOpResult, StateStore, WindowAddResult, WindowEntry } from '../port.ts';
import { takeSnapshot, writeSnapshot } from './memory-snapshot.ts';

export interface MemoryStateOptions {
  /** Drives key expiry; window scores are event times and never read the clock. */
  readonly clock?: Clock;
  /**
   * A file the state is written to on close and read back (then removed) on
   * the next start, so a clean restart keeps its windows. After a crash there
   * is no file and the state starts empty, never from an older copy.
   */
  readonly snapshotPath?: string;
}

export type Slot =
  | { kind: 'value'; value: string; expiresAt: number }
  | { kind: 'window'; entries: WindowEntry[]; expiresAt: number }
  | { kind: 'distinct'; members: Set<string>; expiresAt: number };

// Sweeping on every call would make each operation O(keys); sweeping after
// as many calls as there are keys (at least a few hundred) keeps idle keys
// from piling up at an amortised cost of one key per call.
const SWEEP_EVERY = 512;

/** Embedded-mode state: one process, so every operation is atomic by construction. */
export function createMemoryState(options: MemoryStateOptions = {}): StateStore {
  const clock = options.clock ?? systemClock;
  const slots = options.snapshotPath ? takeSnapshot(options.snapshotPath, clock.now()) : new Map<string, Slot>();
  let callsSinceSweep = 0;

  function live(key: string): Slot | undefined {
    if (++callsSinceSweep >= SWEEP_EVERY && callsSinceSweep >= slots.size) sweep();
    const slot = slots.get(key);
    if (slot && slot.expiresAt <= clock.now()) {
      slots.delete(key);
      return undefined;
    }
    return slot;
  }

  function sweep(): void {
    callsSinceSweep = 0;
    const now = clock.now();
    for (const [key, slot] of slots) if (slot.expiresAt <= now) slots.delete(key);
  }

  function liveOf<K extends Slot['kind']>(key: string, kind: K): Extract<Slot, { kind: K }> | undefined {
    const slot = live(key);
    if (slot && slot.kind !== kind) throw new Error(`key ${key} holds a ${slot.kind}, not a ${kind}`);
    return slot as Extract<Slot, { kind: K }> | undefined;
  }

  const expiry = (ttlMs: number): number => clock.now() + ttlMs;

  /** Adds or moves the member and trims the window; true when the member is new. */
  function record(slot: Extract<Slot, { kind: 'window' }>, member: string, at: number, windowMs: number): boolean {
    const cutoff = at - windowMs;
    // Entries are kept in time order, so the ones that left the window lead.
    let left = 0;
    while (left < slot.entries.length && slot.entries[left]!.at <= cutoff) left += 1;
    if (left > 0) slot.entries.splice(0, left);
    const seenAt = slot.entries.findIndex((entry) => entry.member === member);
    const added = seenAt < 0;
    // A member seen again moves to its latest sighting (never back), as ZADD GT does.
    if (added || slot.entries[seenAt]!.at < at) {
      if (!added) slot.entries.splice(seenAt, 1);
      slot.entries.splice(insertionIndex(slot.entries, member, at), 0, { member, at });
    }
    return added;
  }

  function windowSlot(key: string, ttlMs: number): Extract<Slot, { kind: 'window' }> {
    const slot = liveOf(key, 'window') ?? { kind: 'window', entries: [], expiresAt: 0 };
    slot.expiresAt = expiry(ttlMs);
    slots.set(key, slot);
    return slot;
  }

  function windowAdd(key: string, member: string, at: number, windowMs: number, ttlMs: number): WindowAddResult {
    const slot = windowSlot(key, ttlMs);
    const added = record(slot, member, at, windowMs);
    return { count: fullestWindow(slot.entries, at, windowMs), added };
  }

  function windowRange(key: string, from: number, to: number, limit = Number.POSITIVE_INFINITY): WindowEntry[] {
    const entries = liveOf(key, 'window')?.entries ?? [];
    return entries.filter((entry) => entry.at >= from && entry.at <= to).slice(0, limit);
  }

  const valueOf = (key: string): string | null => liveOf(key, 'value')?.value ?? null;
  const setValue = (key: string, value: string, ttlMs: number): void => {
    slots.set(key, { kind: 'value', value, expiresAt: expiry(ttlMs) });
  };

  function increment(key: string, by: number, ttlMs: number): number {
    const slot = liveOf(key, 'value');
    const next = Number(slot?.value ?? 0) + by;
    if (!Number.isSafeInteger(next)) throw new Error(`key ${key} does not hold an integer`);
    // Like Redis INCRBY: the expiry is set when the counter is created, not on every bump.
    slots.set(key, { kind: 'value', value: String(next), expiresAt: slot?.expiresAt ?? expiry(ttlMs) });
    return next;
  }

  function apply(op: StateOp): StateOpResult {
    switch (op.op) {
      case 'windowAdd':
        return windowAdd(op.key, op.member, op.at, op.windowMs, op.ttlMs);
      case 'windowRecord':
        return { added: record(windowSlot(op.key, op.ttlMs), op.member, op.at, op.windowMs) };
      case 'windowRange':
        return windowRange(op.key, op.from, op.to, op.limit);
      case 'get':
        return valueOf(op.key);
      case 'set':
        setValue(op.key, op.value, op.ttlMs);
        return null;
      case 'delete':
        slots.delete(op.key);
        return null;
      case 'increment':
        return increment(op.key, op.by, op.ttlMs);
      case 'keepFirst': {
        if (live(op.key)) return valueOf(op.key);
        setValue(op.key, op.value, op.ttlMs);
        return null;
      }
      case 'swap': {
        const previous = valueOf(op.key);
        setValue(op.key, op.value, op.ttlMs);
        return previous;
      }
    }
  }

  return {
    kind: 'memory',

    async execute(ops) {
      return ops.map((op) => {
        try {
          return apply(op);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      });
    },

    async windowAdd(key, member, at, windowMs, ttlMs) {
      return windowAdd(key, member, at, windowMs, ttlMs);
    },

    async windowRange(key, from, to, limit) {
      return windowRange(key, from, to, limit);
    },

    async distinctAdd(key, members, ttlMs) {
      const slot = liveOf(key, 'distinct') ?? { kind: 'distinct', members: new Set<string>(), expiresAt: 0 };
      for (const member of members) slot.members.add(member);
      slot.expiresAt = expiry(ttlMs);
      slots.set(key, slot);
      return slot.members.size;
    },

    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      setValue(key, value, ttlMs);
      return true;
    },

    async compareAndSet(key, expected, next, ttlMs) {
      if (valueOf(key) !== expected) return false;
      setValue(key, next, ttlMs);
      return true;
    },

    async get(key) {
      return valueOf(key);
    },

    async set(key, value, ttlMs) {
      setValue(key, value, ttlMs);
    },

    async delete(key) {
      slots.delete(key);
    },

    async increment(key, by, ttlMs) {
      return increment(key, by, ttlMs);
    },

    async ping() {
      return true;
    },

    async close() {
      if (options.snapshotPath) writeSnapshot(options.snapshotPath, slots, clock.now());
      slots.clear();
    },
  };
}

/** Keeps entries ordered as a Redis sorted set orders them: by time, then by member. */
/**
 * Members of the fullest window of `windowMs` holding `at`, entries sorted
 * by time and already trimmed to after `at - windowMs` (see the Redis
 * script's windowAdd for why a late event counts later members too).
 */
function fullestWindow(entries: readonly WindowEntry[], at: number, windowMs: number): number {
  let count = 0;
  for (const entry of entries) if (entry.at <= at) count++;
  let first = 0;
  for (let last = 0; last < entries.length; last++) {
    const end = entries[last]!.at;
    if (end >= at + windowMs) break;
    while (entries[first]!.at <= end - windowMs) first++;
    const lastOfTime = last === entries.length - 1 || entries[last + 1]!.at !== end;
    if (end >= at && lastOfTime) count = Math.max(count, last - first + 1);
  }
  return count;
}

function insertionIndex(entries: readonly WindowEntry[], member: string, at: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = entries[middle]!;
    if (entry.at < at || (entry.at === at && entry.member < member)) low = middle + 1;
    else high = middle;
  }
  return low;
}
