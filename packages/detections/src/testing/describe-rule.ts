import { describe, expect, it } from 'vitest';
import { createMemoryState } from '@nightjar/state/memory';
import type { AnyRule } from '../rule.ts';
import type { Scenario } from './scenario.ts';
import { runScenario, scenarioProblems } from './scenario.ts';

/**
 * The test every rule folder runs: its metadata is well formed, its defaults
 * parse, and each of its scenarios fires or stays silent as labelled, through
 * the real engine with in-memory state.
 */
export function describeRule(rule: AnyRule, scenarios: readonly Scenario[]): void {
  describe(`${rule.id} ${rule.name}`, () => {
    it('has catalog metadata, parseable defaults and both kinds of scenario', () => {
      expect(rule.id).toMatch(/^[A-Z]+-\d{3}$/);
      for (const technique of rule.mitre) expect(technique).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(() => rule.params.parse({})).not.toThrow();
      expect(scenarios.some((scenario) => scenario.fires)).toBe(true);
      expect(scenarios.some((scenario) => !scenario.fires)).toBe(true);
    });

    it.each(
      scenarios.map((scenario) => [`${scenario.fires ? 'fires' : 'quiet'}: ${scenario.name}`, scenario] as const),
    )('%s', async (_name, scenario) => {
      const alerts = await runScenario(rule, scenario, createMemoryState({ clock: { now: () => 0 } }));
      expect(scenarioProblems(scenario, alerts)).toEqual([]);
    });
  });
}
