import { z } from 'zod';
import { cidrSet } from './net/ip.ts';
import { ALL_RULES } from './rules/index.ts';
import type { MspConfig } from './settings.ts';

const country = z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code');
const cidrs = z.array(z.string().min(3).max(50)).superRefine((ranges, context) => {
  try {
    cidrSet(ranges);
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'not a CIDR range' });
  }
});
const suppression = z
  .object({
    rule: z.string().min(1).max(20).optional(),
    user: z.string().min(1).max(320).optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    until: z.number().int().positive().describe('Epoch milliseconds'),
    reason: z.string().max(500).optional(),
  })
  .strict();

/** Overrides per rule id, each checked against the rule's own parameters. */
const ruleParams = z.record(z.string(), z.record(z.string(), z.unknown())).superRefine((overrides, context) => {
  for (const [ruleId, values] of Object.entries(overrides)) {
    const rule = ALL_RULES.find((candidate) => candidate.id === ruleId);
    if (!rule) {
      context.addIssue({ code: 'custom', path: [ruleId], message: `no rule ${ruleId}` });
      continue;
    }
    const defaults = rule.params.parse({}) as Record<string, unknown>;
    for (const name of Object.keys(values)) {
      if (!(name in defaults))
        context.addIssue({ code: 'custom', path: [ruleId, name], message: `${ruleId} has no parameter ${name}` });
    }
    const checked = rule.params.safeParse({ ...defaults, ...values });
    if (!checked.success)
      for (const issue of checked.error.issues)
        context.addIssue({ code: 'custom', path: [ruleId, ...issue.path.map(String)], message: issue.message });
  }
});

const tenantConfig = z
  .object({
    presenceCountries: z.array(country).optional(),
    trustedCidrs: cidrs.optional(),
    ruleParams: ruleParams.optional(),
    suppressions: z.array(suppression).optional(),
  })
  .strict();

/** One MSP's detection settings, as kept through the API: every field checked before a detector sees it. */
export const mspConfigSchema = z
  .object({
    highRiskCountries: z.array(country).optional(),
    trustedCidrs: cidrs.optional(),
    anonymizerCidrs: cidrs.optional(),
    ruleParams: ruleParams.optional(),
    suppressions: z.array(suppression).optional(),
    tenants: z.record(z.string().min(1).max(100), tenantConfig).optional(),
  })
  .strict();

/** Checked settings as the engine takes them (JSON has no undefined values, so nothing is lost). */
export function parseMspConfig(input: unknown): MspConfig {
  return mspConfigSchema.parse(input) as MspConfig;
}
