import { describe, expect, it } from 'vitest';
import type { AlertView } from './channels/channel.ts';
import { isQuiet, routeAlert, targetsFor, type MspRouting } from './routing.ts';

const alert = (overrides: Partial<AlertView> = {}): AlertView => ({
  alertId: 'a-1',
  revision: 1,
  mspId: 'msp-1',
  tenantId: 'tenant-a',
  tenantIds: ['tenant-a'],
  ruleId: 'AUTH-005',
  ruleName: 'Password spray',
  severity: 'medium',
  mitreTechniques: ['T1110.003'],
  entityType: 'ip',
  entityId: '203.0.113.9',
  summary: '40 users failed from one IP',
  firstSeen: 0,
  lastSeen: 0,
  eventCount: 40,
  users: [],
  ips: ['203.0.113.9'],
  countries: [],
  link: null,
  ...overrides,
});

// 2026-12-03 is a Thursday; 23:30 UTC is 00:30 in Berlin.
const AT_2330_UTC = Date.parse('2026-12-03T23:30:00Z');
const AT_NOON_UTC = Date.parse('2026-12-03T12:00:00Z');

const routing: MspRouting = {
  mspId: 'msp-1',
  defaultTargets: ['catch-all'],
  routes: [
    { name: 'contoso', match: { tenants: ['tenant-a'] }, targets: ['contoso-mail', 'soc-slack'] },
    { name: 'identity', match: { rules: ['AUTH-*'], minSeverity: 'high' }, targets: ['soc-pager'] },
    {
      name: 'night',
      match: { tenants: ['tenant-b'] },
      targets: ['fabrikam-slack'],
      quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin', except: 'high' },
    },
  ],
};

describe('routing', () => {
  it('sends to the union of every matching route, each target once', () => {
    expect(targetsFor(alert({ severity: 'high' }), routing, AT_NOON_UTC).sort()).toEqual([
      'contoso-mail',
      'soc-pager',
      'soc-slack',
    ]);
  });

  it('leaves out routes whose severity floor or rule pattern the alert misses', () => {
    expect(targetsFor(alert(), routing, AT_NOON_UTC).sort()).toEqual(['contoso-mail', 'soc-slack']);
    expect(targetsFor(alert({ ruleId: 'MAIL-001', severity: 'critical' }), routing, AT_NOON_UTC)).not.toContain(
      'soc-pager',
    );
  });

  it('uses the default targets only when no route matched', () => {
    expect(targetsFor(alert({ tenantId: 'tenant-z', tenantIds: ['tenant-z'] }), routing, AT_NOON_UTC)).toEqual([
      'catch-all',
    ]);
  });

  it('holds back lower severities in quiet hours without spilling them into the default route', () => {
    const night = alert({ tenantId: 'tenant-b', tenantIds: ['tenant-b'] });
    expect(targetsFor(night, routing, AT_2330_UTC)).toEqual([]);
    expect(targetsFor(night, routing, AT_NOON_UTC)).toEqual(['fabrikam-slack']);
    expect(targetsFor({ ...night, severity: 'high' }, routing, AT_2330_UTC)).toContain('fabrikam-slack');
  });

  it('names the targets quiet hours held back, and the route, unless another route sends to them now', () => {
    const night = alert({ tenantId: 'tenant-b', tenantIds: ['tenant-b'] });
    expect(routeAlert(night, routing, AT_2330_UTC)).toEqual({
      targets: [],
      quiet: new Map([['fabrikam-slack', 'night']]),
    });
    expect(routeAlert(night, routing, AT_NOON_UTC).quiet.size).toBe(0);
    const alsoAwake: MspRouting = {
      ...routing,
      routes: [...routing.routes, { name: 'all-b', match: { tenants: ['tenant-b'] }, targets: ['fabrikam-slack'] }],
    };
    expect(routeAlert(night, alsoAwake, AT_2330_UTC)).toEqual({ targets: ['fabrikam-slack'], quiet: new Map() });
  });

  it('matches a cross-tenant alert on any tenant it involves', () => {
    const spanning = alert({ tenantId: null, tenantIds: ['tenant-x', 'tenant-a'] });
    expect(targetsFor(spanning, routing, AT_NOON_UTC)).toContain('contoso-mail');
  });

  it('reads quiet hours in the route’s own time zone, across midnight', () => {
    const quiet = { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin', except: 'critical' as const };
    expect(isQuiet(quiet, 'high', Date.parse('2026-12-03T21:30:00Z'))).toBe(true); // 22:30 Berlin
    expect(isQuiet(quiet, 'high', Date.parse('2026-12-03T20:30:00Z'))).toBe(false); // 21:30 Berlin
    expect(isQuiet(quiet, 'high', Date.parse('2026-12-04T05:59:00Z'))).toBe(true); // 06:59 Berlin
    expect(isQuiet(quiet, 'critical', Date.parse('2026-12-03T23:00:00Z'))).toBe(false);
  });

  it('routes nothing for an MSP without settings', () => {
    expect(targetsFor(alert(), undefined, AT_NOON_UTC)).toEqual([]);
  });
});
