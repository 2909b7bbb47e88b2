// No vitest here, so tools (e.g. an eval command) can import scenarios; rule tests import ./describe-rule.ts directly.
export * from './sign-ins.ts';
export { testAlert } from './alerts.ts';
export { runScenario, scenarioProblems, signIns } from './scenario.ts';
export type { Scenario, ScenarioEvent, ScenarioExpectation } from './scenario.ts';
export { SCENARIOS_BY_RULE, scenariosOf } from '../rules/scenarios.ts';
