import { describe, expect, it } from 'vitest';
import { createWorld } from './index.ts';
import type { World } from './index.ts';
import { recordId, servedRecords } from './records.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { CONTENT_TYPES } from './store.ts';

const HOUR = 3_600_000;

function everything(world: World): string {
  return JSON.stringify({ tenants: world.tenants(), records: servedRecords(world), labels: world.labels() });
}

describe('createWorld', () => {
  const world = createWorld({ seed: 11, tenants: 4, days: 3, scenarios: 'all' });

  it('gives byte-identical worlds for the same seed and different ones for another seed', () => {
    const same = createWorld({ seed: 11, tenants: 4, days: 3, scenarios: 'all' });
    const other = createWorld({ seed: 12, tenants: 4, days: 3, scenarios: 'all' });
    const text = everything(world);
    expect(everything(same)).toBe(text);
    expect(everything(other)).not.toBe(text);
  });

  it('produces far more non-interactive than interactive sign-ins, with ordinary failures', () => {
    const ids = world.tenants().map((t) => t.id);
    const interactive = ids.flatMap((id) => world.signIns(id, 'interactive'));
    const nonInteractive = ids.reduce((n, id) => n + world.signIns(id, 'nonInteractive').length, 0);
    expect(nonInteractive).toBeGreaterThan(4 * interactive.length);
    const codes = new Set(interactive.map((r) => (r['status'] as { errorCode: number }).errorCode));
    expect(codes).toContain(0);
    expect(codes).toContain(50126);
  });

  it('labels at least one event for every scenario, with the expected detection', () => {
    for (const scenario of SCENARIOS) {
      const labels = world.labels().filter((l) => l.scenario === scenario.name);
      expect(labels.length, scenario.name).toBeGreaterThan(0);
      for (const label of labels) {
        expect(label.expectedDetection).toBe(scenario.detection);
        expect(label.nearMiss).toBe(scenario.detection === null);
        expect(label.eventIds.length).toBeGreaterThan(0);
      }
    }
    expect(
      world
        .labels()
        .filter((l) => l.nearMiss)
        .every((l) => l.expectedDetection === null && l.mimics),
    ).toBe(true);
  });

  it('names only events the world really serves', () => {
    const later = createWorld({ seed: 11, tenants: 4, days: 3, scenarios: 'all' });
    later.advanceTo(later.now() + 6 * HOUR);
    const served = servedRecords(later);
    const ids = new Set(
      Object.values(served).flatMap((list: readonly Record<string, unknown>[]) => list.map(recordId)),
    );
    const missing = later
      .labels()
      .flatMap((l) => l.eventIds.filter((id) => !ids.has(id)).map((id) => `${l.scenario}:${id}`));
    expect(missing).toEqual([]);
  });

  it('labels every event of an injected attack and only shows it once its time has come', () => {
    const live = createWorld({ seed: 3, tenants: 2, days: 1 });
    const tenantId = live.tenants()[0]!.id;
    const before = live.signIns(tenantId, 'interactive').length;
    const [label] = live.inject({ scenario: 'brute-force', tenantId, at: live.now() + HOUR });
    expect(label?.eventIds).toHaveLength(25);
    expect(live.signIns(tenantId, 'interactive')).toHaveLength(before);
    live.advanceTo(live.now() + 2 * HOUR);
    const shown = new Set(live.signIns(tenantId, 'interactive').map(recordId));
    expect(label?.eventIds.every((id) => shown.has(id))).toBe(true);
  });

  it('never shows a record dated after now, and audit records only once available', () => {
    const live = createWorld({ seed: 5, tenants: 2, days: 2, scenarios: 'all' });
    for (const step of [0, 0.25 * HOUR, 7 * HOUR, 30 * HOUR]) {
      live.advanceTo(live.now() + step);
      const now = live.now();
      for (const { id } of live.tenants()) {
        for (const kind of ['interactive', 'nonInteractive'] as const) {
          for (const r of live.signIns(id, kind))
            expect(Date.parse(String(r['createdDateTime']))).toBeLessThanOrEqual(now);
        }
        for (const r of live.directoryAudits(id))
          expect(Date.parse(String(r['activityDateTime']))).toBeLessThanOrEqual(now);
        for (const type of CONTENT_TYPES) {
          for (const r of live.auditRecords(id, type)) {
            expect(r.availableAt).toBeLessThanOrEqual(now);
            expect(Date.parse(`${String(r.record['CreationTime'])}Z`)).toBeLessThan(r.availableAt);
          }
        }
        for (const d of live.managedDevices(id))
          expect(Date.parse(String(d['lastSyncDateTime']))).toBeLessThanOrEqual(now);
      }
    }
  });

  it('generates the same history whether the clock moves in one jump or in many steps', () => {
    const jump = createWorld({ seed: 8, tenants: 2, days: 1 });
    const steps = createWorld({ seed: 8, tenants: 2, days: 1 });
    const target = jump.now() + 30 * HOUR;
    jump.advanceTo(target);
    for (let at = steps.now(); at <= target; at += 7 * HOUR) steps.advanceTo(at);
    steps.advanceTo(target);
    expect(JSON.stringify(servedRecords(steps))).toBe(JSON.stringify(servedRecords(jump)));
  });

  it('serves sign-ins newest first and refuses to go back in time', () => {
    const id = world.tenants()[0]!.id;
    const times = world.signIns(id, 'interactive').map((r) => Date.parse(String(r['createdDateTime'])));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const now = world.now();
    world.advanceTo(now - HOUR);
    expect(world.now()).toBe(now);
  });

  it('moves device and subscription state with the clock', () => {
    const live = createWorld({ seed: 9, tenants: 1, days: 1 });
    const tenantId = live.tenants()[0]!.id;
    const [device] = live.inject({ scenario: 'device-noncompliant', tenantId, at: live.now() + HOUR });
    const [subscription] = live.inject({ scenario: 'subscription-suspended', tenantId, at: live.now() + HOUR });
    const deviceState = () =>
      live.managedDevices(tenantId).find((d) => d['id'] === device?.entity.id)?.['complianceState'];
    const status = () =>
      live.partnerSubscriptions(tenantId).find((s) => s['id'] === subscription?.entity.id)?.['status'];
    expect([deviceState(), status()]).toEqual(['compliant', 'active']);
    live.advanceTo(live.now() + 2 * HOUR);
    expect([deviceState(), status()]).toEqual(['noncompliant', 'suspended']);
  });

  it('rejects unknown scenarios and tenants that cannot host one', () => {
    const live = createWorld({ seed: 1, tenants: 3, days: 1 });
    expect(() => live.inject({ scenario: 'no-such-thing' })).toThrow(/unknown scenario/);
    const withoutP2 = live.tenants().find((t) => !t.licences.includes('SPE_E5'));
    expect(withoutP2).toBeDefined();
    expect(() => live.inject({ scenario: 'risky-sign-in', tenantId: withoutP2!.id })).toThrow(/P2/);
  });
});
