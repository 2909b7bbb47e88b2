import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '@nightjar/config';
import { createSealer, notificationSettingsContext, Secret } from '@nightjar/core';
import { MIGRATIONS_DIR } from '@nightjar/sink';
import { loadMigrations, migrate, mspSettingsDocuments, type HistoryStore } from '@nightjar/store';
import { createChdbStore } from '@nightjar/store/chdb';
import { refreshing, storedDetectionSettings, storedNotificationSettings } from './stored-settings.ts';

const KEY = randomBytes(32).toString('base64');
let store: HistoryStore;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  store = await createChdbStore({ path: mkdtempSync(join(tmpdir(), 'nightjar-stored-settings-')) });
  await migrate(store, await loadMigrations(MIGRATIONS_DIR));
});
afterAll(async () => {
  await store.close();
});

describe('settings kept through the API, as detectors and notifiers read them', () => {
  it('gives each MSP its checked detection settings and skips a document that no longer validates', async () => {
    const documents = mspSettingsDocuments(store);
    await documents.write('msp-1', 'detection', JSON.stringify({ highRiskCountries: ['KP'] }), 'key-1');
    await documents.write('msp-1', 'detection', JSON.stringify({ highRiskCountries: ['KP', 'IR'] }), 'key-1');
    await documents.write('msp-2', 'detection', JSON.stringify({ ruleParams: { 'NOPE-999': {} } }), 'key-2');
    expect(await storedDetectionSettings(store, log)).toEqual({ 'msp-1': { highRiskCountries: ['KP', 'IR'] } });
  });

  it('opens sealed notification settings with the configured key, and none without it', async () => {
    const document = {
      targets: { soc: { kind: 'slack', webhookUrl: 'https://hooks.slack.com/services/T1/B1/x' } },
      defaultTargets: ['soc'],
    };
    const sealed = createSealer(new Secret(KEY)).seal(JSON.stringify(document), notificationSettingsContext('msp-3'));
    await mspSettingsDocuments(store).write('msp-3', 'notification', sealed, 'key-3');
    const { config } = loadConfig({ env: { NIGHTJAR_SECURITY_ENCRYPTION_KEY: KEY } });
    const settings = await storedNotificationSettings(config, store, log);
    expect(settings.get('msp-3')?.routing.defaultTargets).toEqual(['soc']);
    expect(settings.get('msp-3')?.targets.get('soc')).toMatchObject({ kind: 'slack', messagesPerMinute: 6 });
    const otherKey = loadConfig({ env: { NIGHTJAR_SECURITY_ENCRYPTION_KEY: randomBytes(32).toString('base64') } });
    expect((await storedNotificationSettings(otherKey.config, store, log)).size).toBe(0);
    const noKey = loadConfig({ env: {} });
    expect((await storedNotificationSettings(noKey.config, store, log)).size).toBe(0);
  });
});

describe('refreshing stored settings', () => {
  it('warns once while reads keep failing, says when they work again, and stops when told', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const recorder = pino(
      { level: 'debug' },
      { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) },
    );
    const outcomes = [false, false, false, true, true];
    let calls = 0;
    const stop = refreshing(
      5,
      async () => {
        const ok = outcomes[calls++] ?? true;
        if (!ok) throw new Error('UNKNOWN_TABLE msp_settings');
      },
      recorder,
      'stored detection settings',
    );
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(outcomes.length), { timeout: 2_000 });
    stop();
    const stoppedAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(stoppedAt);
    const said = lines.map((line) => `${line.level} ${line.msg.split(';')[0]}`);
    expect(said).toEqual([
      '40 could not read stored detection settings',
      '20 still cannot read stored detection settings',
      '20 still cannot read stored detection settings',
      '30 read stored detection settings again',
    ]);
  });
});
