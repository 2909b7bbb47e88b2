import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Slot } from './memory-state.ts';

type StoredSlot =
  Extract<Slot, { kind: 'value' | 'window' }> | { kind: 'distinct'; members: string[]; expiresAt: number };

/** Writes the live slots to `path` atomically (a temporary file renamed over it). */
export function writeSnapshot(path: string, slots: ReadonlyMap<string, Slot>, now: number): void {
  const stored: Array<[string, StoredSlot]> = [];
  for (const [key, slot] of slots) {
    if (slot.expiresAt <= now) continue;
    stored.push([key, slot.kind === 'distinct' ? { ...slot, members: [...slot.members] } : slot]);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.next`, JSON.stringify(stored));
  renameSync(`${path}.next`, path);
}

/**
 * The slots a clean stop left at `path`, without those expired since; the
 * file is removed so that a crash later cannot bring this copy back.
 */
export function takeSnapshot(path: string, now: number): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  if (!existsSync(path)) return slots;
  let stored: Array<[string, StoredSlot]>;
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as Array<[string, StoredSlot]>;
  } catch (error) {
    throw new Error(`${path} is not a detection state snapshot; remove it to start with empty state`, {
      cause: error,
    });
  }
  rmSync(path);
  for (const [key, slot] of stored) {
    if (slot.expiresAt <= now) continue;
    slots.set(key, slot.kind === 'distinct' ? { ...slot, members: new Set(slot.members) } : slot);
  }
  return slots;
}
