import { describe, expect, it } from 'vitest';
import { alertListLink, notificationFor } from './alert-view.ts';
import { alertView } from './channels/fixtures.ts';

describe('the list link of a grouped message', () => {
  const at = Date.parse('2026-12-03T10:00:00Z');

  it('spans every alert’s creation, upper bound exclusive, narrowed by what they all share', () => {
    const alerts = [
      alertView({ createdTime: at + 5_000, tenantIds: ['t-1', 't-2'] }),
      alertView({ createdTime: at, tenantIds: ['t-2'] }),
    ];
    const link = new URL(alertListLink('https://nightjar.example/', alerts)!);
    expect(link.pathname).toBe('/v1/alerts');
    expect(Object.fromEntries(link.searchParams)).toEqual({
      from: '2026-12-03T10:00:00.000Z',
      to: '2026-12-03T10:00:05.001Z',
      tenant: 't-2',
      rule: 'AUTH-005',
      severity: 'high',
    });
  });

  it('leaves out filters the alerts do not share', () => {
    const alerts = [
      alertView({ createdTime: at, tenantIds: ['t-1'], severity: 'low' }),
      alertView({ createdTime: at, tenantIds: ['t-2'], ruleId: 'MAIL-001' }),
    ];
    expect([...new URL(alertListLink('https://nightjar.example', alerts)!).searchParams.keys()]).toEqual([
      'from',
      'to',
    ]);
  });

  it('is given to grouped messages only, and only when the API is known', () => {
    const entries = [alertView({ createdTime: at }), alertView({ createdTime: at + 1 })].map((alert) => ({
      alert,
      update: false,
    }));
    expect(notificationFor('msp/soc', entries, 'https://nightjar.example').listLink).toContain('/v1/alerts?from=');
    expect(notificationFor('msp/soc', entries).listLink).toBeUndefined();
    expect(notificationFor('msp/soc', entries.slice(0, 1), 'https://nightjar.example').listLink).toBeUndefined();
    const unknownCreation = [{ alert: alertView(), update: false }, ...entries];
    expect(notificationFor('msp/soc', unknownCreation, 'https://nightjar.example').listLink).toBeUndefined();
  });
});
