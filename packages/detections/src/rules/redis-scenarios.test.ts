import { beforeAll, describe, expect, it } from 'vitest';
import { assertReachable, parseHostPort, redisUrl, uniqueName } from '@nightjar/testkit';
import { createRedisState } from '@nightjar/state/redis';
import { runScenario, scenarioProblems } from '../testing/scenario.ts';
import { ALL_RULES } from './index.ts';
import { scenariosOf } from './scenarios.ts';

/** Every rule's scenarios again, through the Redis adapter: the distributed path behaves as the embedded one. */
describe('all rule scenarios against Redis', () => {
  beforeAll(async () => {
    await assertReachable('Redis', parseHostPort(redisUrl()));
  });

  const cases = ALL_RULES.flatMap((rule) =>
    scenariosOf(rule).map(
      (scenario, index) =>
        [`${rule.id} ${scenario.fires ? 'fires' : 'quiet'}: ${scenario.name}`, rule, scenario, index] as const,
    ),
  );
  it.each(cases)('%s', async (_name, rule, scenario, index) => {
    // Each scenario gets its own key space, as each gets a fresh memory store in the rule tests.
    const scoped = createRedisState({ url: redisUrl(), keyPrefix: `${uniqueName(`nj-det-${rule.id}-${index}`)}:` });
    try {
      const alerts = await runScenario(rule, scenario, scoped);
      expect(scenarioProblems(scenario, alerts)).toEqual([]);
    } finally {
      await scoped.close();
    }
  });
});
