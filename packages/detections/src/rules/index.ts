import type { AnyRule } from '../rule.ts';
import { nonCompliant } from './devices/non-compliant/rule.ts';
import { outdatedOs } from './devices/outdated-os/rule.ts';
import { staleDevice } from './devices/stale-device/rule.ts';
import { mfaDisabled } from './directory/mfa-disabled/rule.ts';
import { privilegedRole } from './directory/privileged-role/rule.ts';
import { riskyConsent } from './directory/risky-consent/rule.ts';
import { spCredentials } from './directory/sp-credentials/rule.ts';
import { anonymousLink } from './files/anonymous-link/rule.ts';
import { dlpMatch } from './files/dlp-match/rule.ts';
import { massDeletion } from './files/mass-deletion/rule.ts';
import { massDownload } from './files/mass-download/rule.ts';
import { inboxRuleForwarding } from './mail/inbox-rule-forwarding/rule.ts';
import { inboxRuleHiding } from './mail/inbox-rule-hiding/rule.ts';
import { mailboxForwarding } from './mail/mailbox-forwarding/rule.ts';
import { mailboxPermission } from './mail/mailbox-permission/rule.ts';
import { transportRule } from './mail/transport-rule/rule.ts';
import { bruteForce } from './sign-in/brute-force/rule.ts';
import { countryWithoutPresence } from './sign-in/country-without-presence/rule.ts';
import { crossTenantSpray } from './sign-in/cross-tenant-spray/rule.ts';
import { disabledAccount } from './sign-in/disabled-account/rule.ts';
import { highRiskCountry } from './sign-in/high-risk-country/rule.ts';
import { impossibleTravel } from './sign-in/impossible-travel/rule.ts';
import { legacyAuth } from './sign-in/legacy-auth/rule.ts';
import { mfaFatigue } from './sign-in/mfa-fatigue/rule.ts';
import { passwordSpray } from './sign-in/password-spray/rule.ts';
import { riskLevel } from './sign-in/risk-level/rule.ts';
import { successAfterFailures } from './sign-in/success-after-failures/rule.ts';
import { tokenReplay } from './sign-in/token-replay/rule.ts';
import { commitmentEnding } from './subscriptions/commitment-ending/rule.ts';
import { subscriptionSuspended } from './subscriptions/suspended/rule.ts';

/** Sign-in family: AUTH-* rules and MFA fatigue. */
export const SIGN_IN_RULES: readonly AnyRule[] = [
  impossibleTravel,
  countryWithoutPresence,
  highRiskCountry,
  passwordSpray,
  crossTenantSpray,
  bruteForce,
  successAfterFailures,
  disabledAccount,
  legacyAuth,
  tokenReplay,
  riskLevel,
  mfaFatigue,
];

/** Directory family (Entra audit): privileged roles, MFA removal, consents, app credentials. */
export const DIRECTORY_RULES: readonly AnyRule[] = [privilegedRole, mfaDisabled, riskyConsent, spCredentials];

/** Mail family (Exchange unified audit log): forwarding, hiding rules, delegation. */
export const MAIL_RULES: readonly AnyRule[] = [
  inboxRuleForwarding,
  inboxRuleHiding,
  mailboxForwarding,
  transportRule,
  mailboxPermission,
];

/** Files family (SharePoint, OneDrive, DLP): public links, download and deletion bursts, DLP matches. */
export const FILE_RULES: readonly AnyRule[] = [anonymousLink, massDownload, massDeletion, dlpMatch];

/** Devices family (Intune snapshot diffs): compliance, staleness, OS minimums. */
export const DEVICE_RULES: readonly AnyRule[] = [nonCompliant, staleDevice, outdatedOs];

/** Subscriptions family (Partner Center): lost service, commitments about to lapse. */
export const SUBSCRIPTION_RULES: readonly AnyRule[] = [subscriptionSuspended, commitmentEnding];

/** Every rule the engine runs by default; each family appends its list here. */
export const ALL_RULES: readonly AnyRule[] = [
  ...SIGN_IN_RULES,
  ...DIRECTORY_RULES,
  ...MAIL_RULES,
  ...FILE_RULES,
  ...DEVICE_RULES,
  ...SUBSCRIPTION_RULES,
];
