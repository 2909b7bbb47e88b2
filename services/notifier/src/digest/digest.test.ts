import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { createMemoryBus } from '@nightjar/bus/memory';
import { testAlert } from '@nightjar/detections/testing';
import type { Alert } from '@nightjar/events';
import { MIGRATIONS_DIR, toRow } from '@nightjar/sink';
import { createMemoryState } from '@nightjar/state/memory';
import { loadMigrations, migrate, type HistoryStore } from '@nightjar/store';
import { createChdbStore } from '@nightjar/store/chdb';
import { createChannelFactory, type ChannelFactory } from '../channel-factory.ts';
import { parseNotifications } from '../notifications-file.ts';
import { historyDigestSource } from './digest-data.ts';
import { DigestScheduler } from './digest-scheduler.ts';

const MSP = 'msp-digest';
const FABRIKAM = 'tenant-fabrikam';
const CONTOSO = 'tenant-contoso';
// 08:00 in Amsterdam on 3 December; the digest is due from 07:30 and covers 2 December there.
const MORNING = Date.parse('2026-12-03T07:00:00Z');
const YESTERDAY_NOON = Date.parse('2026-12-02T11:00:00Z');

let store: HistoryStore;
let smtp: SMTPServer;
let channels: ChannelFactory;
const mails: ParsedMail[] = [];

function alert(id: string, overrides: Partial<Alert>): Alert {
  return testAlert({
    alert_id: id,
    msp_id: MSP,
    tenant_id: FABRIKAM,
    tenant_ids: [FABRIKAM],
    severity: 'high',
    mitre_techniques: [],
    summary: 'spray',
    first_seen: YESTERDAY_NOON,
    last_seen: YESTERDAY_NOON,
    users: ['ana@fabrikam.example'],
    ips: ['203.0.113.9'],
    created_time: YESTERDAY_NOON,
    updated_time: YESTERDAY_NOON,
    ...overrides,
  });
}

beforeAll(async () => {
  store = await createChdbStore({ path: mkdtempSync(join(tmpdir(), 'nightjar-digest-')) });
  await migrate(store, await loadMigrations(MIGRATIONS_DIR));
  const alerts = [
    alert('a1', {}),
    alert('a2', { severity: 'medium', rule_id: 'MFA-002', rule_name: 'MFA fatigue', users: ['ana@fabrikam.example'] }),
    alert('a3', { tenant_id: CONTOSO, tenant_ids: [CONTOSO], users: ['bob@contoso.example'], ips: ['198.51.100.4'] }),
    alert('old', { created_time: YESTERDAY_NOON - 2 * 86_400_000, users: ['old@fabrikam.example'] }),
    alert('other-msp', { msp_id: 'someone-else', users: ['stranger@elsewhere.example'] }),
  ];
  await store.insert(
    'alerts',
    alerts.map((event) => toRow('alert', event)),
  );
  const device = (uid: string, tenant: string, state: string) => ({
    msp_id: MSP,
    tenant_id: tenant,
    source: 'intune',
    event_id: uid,
    time: '2026-12-02 10:00:00.000',
    ingest_time: '2026-12-02 10:00:00.000',
    device_uid: uid,
    device_name: `${uid}-name`,
    user_name: `${uid}@example`,
    os: 'Windows',
    os_version: '10.0.19045',
    compliance_state: state,
    raw: '{}',
  });
  await store.insert('devices', [
    device('FAB-LT-0042', FABRIKAM, 'noncompliant'),
    device('FAB-LT-0043', FABRIKAM, 'compliant'),
    device('CON-PC-0007', CONTOSO, 'error'),
  ]);
  await store.insert('subscriptions', [
    {
      msp_id: MSP,
      tenant_id: FABRIKAM,
      source: 'partner-center',
      event_id: 's1',
      time: '2026-12-02 10:00:00.000',
      ingest_time: '2026-12-02 10:00:00.000',
      subscription_uid: 's1',
      friendly_name: 'Microsoft 365 Business Premium',
      quantity: 25,
      status: 'active',
      commitment_end_time: '2026-12-20 00:00:00.000',
      auto_renew: false,
      is_trial: false,
      suspension_reasons: [],
      raw: '{}',
    },
  ]);
  smtp = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback(null, 'OK: queued');
        })
        .catch(callback);
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  channels = createChannelFactory();
});
afterAll(async () => {
  await channels.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await store.close();
});

const bus = createMemoryBus();
await bus.ensureTopics([{ name: 'deliveries', partitions: 1 }]);

function scheduler(state = createMemoryState(), processId = 'notifier-0'): DigestScheduler {
  const port = (smtp.server.address() as AddressInfo).port;
  const mailTarget = (to: string) => ({
    kind: 'smtp',
    host: '127.0.0.1',
    port,
    security: 'none',
    from: 'soc@msp.example',
    to: [to],
  });
  const settings = parseNotifications(
    JSON.stringify({
      msps: [
        {
          id: MSP,
          targets: { soc: mailTarget('soc@msp.example'), fabrikam: mailTarget('it@fabrikam.example') },
          digest: {
            at: '07:30',
            timeZone: 'Europe/Amsterdam',
            targets: ['soc'],
            customers: { [FABRIKAM]: ['fabrikam'] },
          },
        },
      ],
    }),
    'test',
  );
  return new DigestScheduler({
    settings: () => settings,
    source: historyDigestSource(store),
    channelFor: (_msp, _name, target) => channels.create(target),
    state,
    bus,
    deliveriesTopic: 'deliveries',
    clock: { now: () => MORNING },
    log: pino({ level: 'silent' }),
    processId,
  });
}

const to = (mail: ParsedMail): string => JSON.stringify(mail.to);

describe('daily digest', () => {
  it('waits for the configured local hour, then mails the MSP and each configured customer once', async () => {
    const state = createMemoryState();
    const first = scheduler(state, 'notifier-0');
    await first.tick(Date.parse('2026-12-03T06:00:00Z'));
    expect(mails).toHaveLength(0);

    await first.tick(MORNING);
    await first.tick(MORNING + 60_000);
    await scheduler(state, 'notifier-1').tick(MORNING + 120_000);
    expect(mails.map(to).sort()).toEqual([
      expect.stringContaining('it@fabrikam.example'),
      expect.stringContaining('soc@msp.example'),
    ]);

    const msp = mails.find((mail) => to(mail).includes('soc@msp.example'))!;
    expect(msp.subject).toBe('Nightjar daily digest for msp-digest, 2026-12-02: 3 alerts, 2 non-compliant devices');
    expect(msp.text).toContain('Alerts by severity: critical 0, high 2, medium 1');
    expect(msp.text).toContain('ana@fabrikam.example | 2');
    expect(msp.text).toContain('bob@contoso.example | 1');
    expect(msp.text).toContain('FAB-LT-0042-name');
    expect(msp.text).toContain('CON-PC-0007-name');
    expect(msp.text).not.toContain('FAB-LT-0043');
    expect(msp.text).toContain('Microsoft 365 Business Premium | active | 2026-12-20 | no');
    expect(msp.text).not.toContain('old@fabrikam.example');
    expect(msp.text).not.toContain('stranger@elsewhere.example');
    expect(msp.html).toContain('<table');
    expect(msp.headers.get('x-nightjar-notification')).toBe('digest/msp-digest/all/2026-12-02');

    const customer = mails.find((mail) => to(mail).includes('it@fabrikam.example'))!;
    expect(customer.text).toContain('ana@fabrikam.example');
    expect(customer.text).not.toContain('bob@contoso.example');
    expect(customer.text).not.toContain('CON-PC-0007');
  }, 60_000);
});
