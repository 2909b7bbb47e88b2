import type { AnyRule } from '../rule.ts';
import type { TenantSettings } from '../settings.ts';

/**
 * Parsed parameters per (settings snapshot, rule). Settings providers hand out
 * a new TenantSettings object when the configuration changes, so keying the
 * cache on that object drops stale parameters without any invalidation call.
 */
export function createParamsResolver(
  onConfigIssue: (issue: string) => void,
): (rule: AnyRule, tenant: TenantSettings) => unknown {
  const cache = new WeakMap<TenantSettings, Map<string, unknown>>();
  const defaults = new Map<string, unknown>();

  function defaultsOf(rule: AnyRule): unknown {
    if (!defaults.has(rule.id)) defaults.set(rule.id, rule.params.parse({}));
    return defaults.get(rule.id);
  }

  return (rule, tenant) => {
    let perRule = cache.get(tenant);
    if (!perRule) cache.set(tenant, (perRule = new Map<string, unknown>()));
    if (perRule.has(rule.id)) return perRule.get(rule.id);
    const overrides = tenant.ruleOverrides(rule.id);
    let params: unknown;
    if (Object.keys(overrides).length === 0) params = defaultsOf(rule);
    else {
      const parsed = rule.params.safeParse(overrides);
      if (parsed.success) params = parsed.data;
      else {
        // A bad override must not blind the rule: run it with its defaults and say why.
        onConfigIssue(`${rule.id} overrides for ${tenant.mspId}/${tenant.tenantId} ignored: ${parsed.error.message}`);
        params = defaultsOf(rule);
      }
    }
    perRule.set(rule.id, params);
    return params;
  };
}
