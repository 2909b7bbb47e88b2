import { z } from 'zod';
import type { AuditRecord } from '@nightjar/events';
import { SEVERITIES, defineRule } from '../../../rule.ts';
import type { Severity } from '../../../rule.ts';
import { HOUR, fileOf } from '../shared.ts';

const params = z.object({
  /** Policies whose matches are informational for this tenant (by PolicyName). */
  ignoredPolicies: z.array(z.string()).default([]),
});

interface MatchedRule {
  readonly policy: string;
  readonly rule: string;
  readonly severity: Severity;
}

/**
 * DLP-001: a Purview DLP rule matched. The alert takes the DLP rule's own
 * severity (Low/Medium/High, the highest when several match), one level
 * higher when the user overrode the policy tip. DlpRuleUndo and DlpInfo are
 * not matches.
 */
export const dlpMatch = defineRule({
  id: 'DLP-001',
  name: 'DLP rule match',
  description:
    'A DlpRuleMatch record of the unified audit log, with the severity the DLP rule declares in PolicyDetails (raised one level when the user overrode the block). Matches of policies the tenant marks as ignored are left out.',
  severity: 'medium',
  mitre: ['T1048', 'T1567'],
  reads: ['audit-record'],
  params,
  groupWindowMs: HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (event.operation !== 'DlpRuleMatch') return [];
    const matched = matchedRules(event).filter((match) => !p.ignoredPolicies.includes(match.policy));
    if (matched.length === 0) return [];
    const top = Math.max(...matched.map((match) => SEVERITIES.indexOf(match.severity)));
    const overridden = /"Reason"\s*:\s*"Override"/i.test(event.fields.ExceptionInfo ?? '');
    const severity = SEVERITIES[Math.min(top + (overridden ? 1 : 0), SEVERITIES.indexOf('critical'))] ?? 'medium';
    const user = event.user_id.toLowerCase();
    const names = matched.map((match) => `${match.policy} / ${match.rule}`).join('; ');
    return [
      {
        entity: { type: 'user', id: user },
        severity,
        at: event.time,
        summary: `${event.user_id} matched DLP ${names} on ${fileOf(event)} (${event.workload})${overridden ? ', overriding the block' : ''}`,
        users: [user],
        ips: event.src_ip ? [event.src_ip] : [],
        details: { policies: names, overridden },
      },
    ];
  },
});

function matchedRules(event: AuditRecord): MatchedRule[] {
  let policies: unknown;
  try {
    policies = JSON.parse(event.fields.PolicyDetails ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(policies)) return [];
  const matches: MatchedRule[] = [];
  for (const policy of policies as { PolicyName?: unknown; Rules?: unknown }[]) {
    if (!Array.isArray(policy.Rules)) continue;
    for (const rule of policy.Rules as { RuleName?: unknown; Severity?: unknown }[]) {
      const declared = typeof rule.Severity === 'string' ? rule.Severity.toLowerCase() : 'medium';
      matches.push({
        policy: typeof policy.PolicyName === 'string' ? policy.PolicyName : 'unnamed policy',
        rule: typeof rule.RuleName === 'string' ? rule.RuleName : 'unnamed rule',
        severity: SEVERITIES.find((severity) => severity === declared) ?? 'medium',
      });
    }
  }
  return matches;
}
