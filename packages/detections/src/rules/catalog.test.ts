import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '@nightjar/events';
import { ALL_RULES } from './index.ts';
import { SCENARIOS_BY_RULE } from './scenarios.ts';

describe('rule catalog', () => {
  it('has unique ids, each with labelled scenarios', () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(SCENARIOS_BY_RULE).sort()).toEqual([...ids].sort());
  });

  it.each(ALL_RULES.map((rule) => [rule.id, rule] as const))(
    '%s reads known kinds and groups within a week',
    (_id, rule) => {
      for (const kind of rule.reads) expect(Object.keys(EVENT_KINDS)).toContain(kind);
      expect(rule.groupWindowMs).toBeGreaterThan(0);
      // Alert state lives three group windows in Redis: a week bounds what an incident may keep there.
      expect(rule.groupWindowMs).toBeLessThanOrEqual(7 * 24 * 3_600_000);
      expect(rule.description.length).toBeGreaterThan(40);
      expect(rule.mitre.length).toBeGreaterThan(0);
    },
  );
});
