import type { AnyRule } from '../rule.ts';
import type { Scenario } from '../testing/scenario.ts';
import { scenarios as nonCompliant } from './devices/non-compliant/scenarios.ts';
import { scenarios as outdatedOs } from './devices/outdated-os/scenarios.ts';
import { scenarios as staleDevice } from './devices/stale-device/scenarios.ts';
import { scenarios as mfaDisabled } from './directory/mfa-disabled/scenarios.ts';
import { scenarios as privilegedRole } from './directory/privileged-role/scenarios.ts';
import { scenarios as riskyConsent } from './directory/risky-consent/scenarios.ts';
import { scenarios as spCredentials } from './directory/sp-credentials/scenarios.ts';
import { scenarios as anonymousLink } from './files/anonymous-link/scenarios.ts';
import { scenarios as dlpMatch } from './files/dlp-match/scenarios.ts';
import { scenarios as massDeletion } from './files/mass-deletion/scenarios.ts';
import { scenarios as massDownload } from './files/mass-download/scenarios.ts';
import { scenarios as inboxRuleForwarding } from './mail/inbox-rule-forwarding/scenarios.ts';
import { scenarios as inboxRuleHiding } from './mail/inbox-rule-hiding/scenarios.ts';
import { scenarios as mailboxForwarding } from './mail/mailbox-forwarding/scenarios.ts';
import { scenarios as mailboxPermission } from './mail/mailbox-permission/scenarios.ts';
import { scenarios as transportRule } from './mail/transport-rule/scenarios.ts';
import { scenarios as bruteForce } from './sign-in/brute-force/scenarios.ts';
import { scenarios as countryWithoutPresence } from './sign-in/country-without-presence/scenarios.ts';
import { scenarios as crossTenantSpray } from './sign-in/cross-tenant-spray/scenarios.ts';
import { scenarios as disabledAccount } from './sign-in/disabled-account/scenarios.ts';
import { scenarios as highRiskCountry } from './sign-in/high-risk-country/scenarios.ts';
import { scenarios as impossibleTravel } from './sign-in/impossible-travel/scenarios.ts';
import { scenarios as legacyAuth } from './sign-in/legacy-auth/scenarios.ts';
import { scenarios as mfaFatigue } from './sign-in/mfa-fatigue/scenarios.ts';
import { scenarios as passwordSpray } from './sign-in/password-spray/scenarios.ts';
import { scenarios as riskLevel } from './sign-in/risk-level/scenarios.ts';
import { scenarios as successAfterFailures } from './sign-in/success-after-failures/scenarios.ts';
import { scenarios as tokenReplay } from './sign-in/token-replay/scenarios.ts';
import { scenarios as commitmentEnding } from './subscriptions/commitment-ending/scenarios.ts';
import { scenarios as subscriptionSuspended } from './subscriptions/suspended/scenarios.ts';

/** Each rule id's labelled scenarios, for catalog-wide runs (Redis, eval). */
export const SCENARIOS_BY_RULE: Readonly<Record<string, readonly Scenario[]>> = {
  'AUTH-001': impossibleTravel,
  'AUTH-003': countryWithoutPresence,
  'AUTH-004': highRiskCountry,
  'AUTH-005': passwordSpray,
  'AUTH-007': crossTenantSpray,
  'AUTH-008': bruteForce,
  'AUTH-009': successAfterFailures,
  'AUTH-013': disabledAccount,
  'AUTH-014': legacyAuth,
  'AUTH-021': tokenReplay,
  'AUTH-022': riskLevel,
  'MFA-002': mfaFatigue,
  'PRIV-001': privilegedRole,
  'MFA-005': mfaDisabled,
  'APP-002': riskyConsent,
  'APP-004': spCredentials,
  'EXO-001': inboxRuleForwarding,
  'EXO-002': inboxRuleHiding,
  'EXO-003': mailboxForwarding,
  'EXO-005': transportRule,
  'EXO-006': mailboxPermission,
  'SPO-001': anonymousLink,
  'SPO-003': massDownload,
  'SPO-004': massDeletion,
  'DLP-001': dlpMatch,
  'DEV-001': nonCompliant,
  'DEV-002': staleDevice,
  'DEV-003': outdatedOs,
  'SUB-001': subscriptionSuspended,
  'SUB-002': commitmentEnding,
};

export function scenariosOf(rule: AnyRule): readonly Scenario[] {
  return SCENARIOS_BY_RULE[rule.id] ?? [];
}
