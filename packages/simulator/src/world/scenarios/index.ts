/** Every named scenario, in the order `scenarios: 'all'` injects them. */
import { ADMIN_SCENARIOS } from './admin.ts';
import type { ScenarioDefinition } from './context.ts';
import { CREDENTIAL_SCENARIOS } from './credentials.ts';
import { ESTATE_SCENARIOS } from './estate.ts';
import { FILE_SCENARIOS } from './files.ts';
import { IDENTITY_SCENARIOS } from './identity.ts';
import { MAIL_SCENARIOS } from './mail.ts';
import { NEAR_MISS_SCENARIOS } from './near-miss.ts';

export type { ScenarioContext, ScenarioDefinition } from './context.ts';

export const SCENARIOS: readonly ScenarioDefinition[] = [
  ...NEAR_MISS_SCENARIOS,
  ...IDENTITY_SCENARIOS,
  ...CREDENTIAL_SCENARIOS,
  ...ADMIN_SCENARIOS,
  ...MAIL_SCENARIOS,
  ...FILE_SCENARIOS,
  ...ESTATE_SCENARIOS,
];

export function scenarioNamed(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
