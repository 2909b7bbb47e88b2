import { describe, expect, it } from 'vitest';
import { waitFor } from '@nightjar/testkit';
import type { ContractContext } from './contract.ts';

const HOUR = 3_600_000;

export function describeValueContract({ store, key }: ContractContext): void {
  describe('values', () => {
    it('gets, sets, overwrites and deletes', async () => {
      const value = key('value');
      expect(await store().get(value)).toBeNull();
      await store().set(value, 'one', HOUR);
      expect(await store().get(value)).toBe('one');
      await store().set(value, 'two', HOUR);
      expect(await store().get(value)).toBe('two');
      await store().delete(value);
      expect(await store().get(value)).toBeNull();
      await store().delete(value);
    });

    it('expires a value after its ttl', async () => {
      const value = key('short-lived');
      await store().set(value, 'soon gone', 200);
      expect(await store().get(value)).toBe('soon gone');
      await waitFor(async () => ((await store().get(value)) === null ? true : undefined), 'the value to expire', 3000);
      expect(await store().setIfAbsent(value, 'again', HOUR)).toBe(true);
    });

    it('sets if absent only once', async () => {
      const lock = key('dedup');
      expect(await store().setIfAbsent(lock, 'first', HOUR)).toBe(true);
      expect(await store().setIfAbsent(lock, 'second', HOUR)).toBe(false);
      expect(await store().get(lock)).toBe('first');
      await store().delete(lock);
      expect(await store().setIfAbsent(lock, 'third', HOUR)).toBe(true);
    });

    it('lets exactly one of many concurrent setIfAbsent calls win', async () => {
      const lock = key('race-absent');
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => store().setIfAbsent(lock, `r${i}`, HOUR)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('compareAndSet', () => {
    it('treats null as "absent"', async () => {
      const cell = key('cas-null');
      expect(await store().compareAndSet(cell, null, 'v1', HOUR)).toBe(true);
      expect(await store().get(cell)).toBe('v1');
      expect(await store().compareAndSet(cell, null, 'v2', HOUR)).toBe(false);
      expect(await store().get(cell)).toBe('v1');
    });

    it('replaces only the expected value', async () => {
      const cell = key('cas');
      await store().set(cell, 'v1', HOUR);
      expect(await store().compareAndSet(cell, 'v0', 'v2', HOUR)).toBe(false);
      expect(await store().compareAndSet(cell, 'v1', 'v2', HOUR)).toBe(true);
      expect(await store().get(cell)).toBe('v2');
      expect(await store().compareAndSet(key('cas-missing'), 'v1', 'v2', HOUR)).toBe(false);
      expect(await store().get(key('cas-missing'))).toBeNull();
    });

    it('lets exactly one of many concurrent racers win', async () => {
      const cell = key('cas-race');
      await store().set(cell, 'start', HOUR);
      const racers = Array.from({ length: 20 }, (_, i) => `racer-${i}`);
      const results = await Promise.all(racers.map((racer) => store().compareAndSet(cell, 'start', racer, HOUR)));
      const winners = racers.filter((_, i) => results[i]);
      expect(winners).toHaveLength(1);
      expect(await store().get(cell)).toBe(winners[0]);
    });

    it('applies the new ttl', async () => {
      const cell = key('cas-ttl');
      expect(await store().compareAndSet(cell, null, 'brief', 200)).toBe(true);
      await waitFor(async () => ((await store().get(cell)) === null ? true : undefined), 'the value to expire', 3000);
    });
  });

  describe('increment', () => {
    it('creates, adds and subtracts', async () => {
      const counter = key('counter');
      expect(await store().increment(counter, 1, HOUR)).toBe(1);
      expect(await store().increment(counter, 5, HOUR)).toBe(6);
      expect(await store().increment(counter, -2, HOUR)).toBe(4);
      expect(await store().get(counter)).toBe('4');
    });

    it('counts every concurrent increment', async () => {
      const counter = key('counter-race');
      await Promise.all(Array.from({ length: 50 }, () => store().increment(counter, 1, HOUR)));
      expect(await store().get(counter)).toBe('50');
    });

    it('keeps the expiry set at creation, so the counter restarts after it', async () => {
      const counter = key('counter-ttl');
      expect(await store().increment(counter, 1, 300)).toBe(1);
      expect(await store().increment(counter, 1, HOUR)).toBe(2);
      await waitFor(
        async () => ((await store().get(counter)) === null ? true : undefined),
        'the counter to expire',
        3000,
      );
      expect(await store().increment(counter, 1, HOUR)).toBe(1);
    });
  });
}
