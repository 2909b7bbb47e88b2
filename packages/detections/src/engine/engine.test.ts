import { describe, expect, it } from 'vitest';
import { createMemoryState } from '@nightjar/state/memory';
import { passwordSpray } from '../rules/sign-in/password-spray/rule.ts';
import { highRiskCountry } from '../rules/sign-in/high-risk-country/rule.ts';
import { defineRule } from '../rule.ts';
import type { AnyRule } from '../rule.ts';
import type { Alert } from '@nightjar/events';
import { createMemorySettings } from '../settings.ts';
import { MINUTE, PLACES, T0, failedSignIn, signIn, user } from '../testing/sign-ins.ts';
import { EVIDENCE_CAP } from './alerts.ts';
import { createDetectionEngine } from './engine.ts';

const SPRAYER = '203.0.113.7';
const spray = (users: number, overrides = {}) =>
  Array.from({ length: users }, (_, index) =>
    failedSignIn({ user_name: user(index + 1), src_ip: SPRAYER, time: T0 + index * 10_000, ...overrides }),
  );

function engineWith(rules: readonly AnyRule[] = [passwordSpray], settings = createMemorySettings()) {
  return createDetectionEngine({ state: createMemoryState(), settings, rules, clock: { now: () => T0 } });
}

describe('detection engine', () => {
  it('rejects malformed events with the failing field and keeps going', async () => {
    const engine = engineWith();
    const { user_name: _dropped, ...withoutUser } = failedSignIn();
    const result = await engine.processBatch([
      { kind: 'sign-in', event: withoutUser },
      { kind: 'sign-in', event: { ...failedSignIn(), time: 'yesterday' } },
      { kind: 'sign-in', event: null },
      ...spray(10).map((event) => ({ kind: 'sign-in' as const, event })),
    ]);
    const reasons = result.rejects.map((reject) => reject.reason);
    expect(reasons).toHaveLength(3);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringContaining('user_name: '),
        expect.stringContaining('time: '),
        expect.stringContaining('(event): '),
      ]),
    );
    expect(result.alerts).toHaveLength(1);
  });

  it('turns a throwing rule into a reject naming the rule, while other rules still run', async () => {
    const broken = defineRule({
      ...highRiskCountry,
      id: 'TEST-999',
      decide: () => {
        throw new Error('boom');
      },
    });
    const settings = createMemorySettings({ msps: { 'msp-contoso': { highRiskCountries: ['RU'] } } });
    const result = await engineWith([broken, highRiskCountry], settings).process('sign-in', signIn(PLACES.moscow));
    expect(result.rejects.map((reject) => [reject.ruleId, reject.reason])).toEqual([
      ['TEST-999', 'TEST-999 failed: Error: boom'],
    ]);
    expect(result.alerts.map((alert) => alert.rule_id)).toEqual(['AUTH-004']);
  });

  it('replaying an incident changes neither its revision nor its evidence', async () => {
    const engine = engineWith();
    const events = spray(12);
    const first = await engine.processBatch(events.map((event) => ({ kind: 'sign-in' as const, event })));
    const replay = await engine.processBatch(events.map((event) => ({ kind: 'sign-in' as const, event })));
    expect(first.alerts).toHaveLength(1);
    expect(first.alerts[0]).toMatchObject({ revision: 3, event_count: 12 });
    expect(replay.alerts).toEqual([]);
  });

  it('caps kept event ids but counts every event, and stays idempotent past the cap', async () => {
    const engine = engineWith();
    const events = spray(80);
    let last: Alert | undefined;
    for (const event of events) last = (await engine.process('sign-in', event)).alerts[0] ?? last;
    expect(last?.event_count).toBe(80);
    expect(last?.event_ids).toHaveLength(EVIDENCE_CAP);
    expect(last?.users).toHaveLength(EVIDENCE_CAP);
    expect((await engine.process('sign-in', events[70]!)).alerts).toEqual([]);
  });

  it('applies settings changes to the next event, without a restart', async () => {
    const settings = createMemorySettings();
    const engine = engineWith([highRiskCountry], settings);
    expect((await engine.process('sign-in', signIn(PLACES.moscow))).alerts).toEqual([]);
    settings.updateMsp('msp-contoso', (msp) => ({ ...msp, highRiskCountries: ['RU'] }));
    expect((await engine.process('sign-in', signIn({ ...PLACES.moscow, time: T0 + MINUTE }))).alerts).toHaveLength(1);
    settings.updateTenant('msp-contoso', 'tenant-fabrikam', (tenant) => ({
      ...tenant,
      suppressions: [{ rule: 'AUTH-004', until: T0 + 86_400_000 }],
    }));
    expect(
      (
        await engine.process(
          'sign-in',
          signIn({ ...PLACES.moscow, user_name: 'bo@fabrikam.example', time: T0 + 2 * MINUTE }),
        )
      ).alerts,
    ).toEqual([]);
  });

  it('runs a rule with its defaults when a tenant override is invalid, and says so', async () => {
    const issues: string[] = [];
    const settings = createMemorySettings({
      msps: { 'msp-contoso': { ruleParams: { 'AUTH-005': { minUsers: 'many' } } } },
    });
    const engine = createDetectionEngine({
      state: createMemoryState(),
      settings,
      rules: [passwordSpray],
      onConfigIssue: (issue) => issues.push(issue),
    });
    const result = await engine.processBatch(spray(10).map((event) => ({ kind: 'sign-in' as const, event })));
    expect(result.alerts).toHaveLength(1);
    expect(issues).toEqual([expect.stringContaining('AUTH-005 overrides for msp-contoso/tenant-fabrikam ignored')]);
  });

  it('applies valid per-tenant overrides', async () => {
    const settings = createMemorySettings({
      msps: { 'msp-contoso': { tenants: { 'tenant-fabrikam': { ruleParams: { 'AUTH-005': { minUsers: 5 } } } } } },
    });
    const result = await engineWith([passwordSpray], settings).processBatch(
      spray(5).map((event) => ({ kind: 'sign-in' as const, event })),
    );
    expect(result.alerts[0]?.details['distinct_users']).toBe('5');
  });

  it('keeps tenants apart: half a spray in each of two tenants is no spray', async () => {
    const events = [
      ...spray(5),
      ...spray(5, { tenant_id: 'tenant-northwind' }).map((event, index) => ({ ...event, user_name: user(index + 6) })),
    ];
    const result = await engineWith().processBatch(events.map((event) => ({ kind: 'sign-in' as const, event })));
    expect(result.alerts).toEqual([]);
  });
});
