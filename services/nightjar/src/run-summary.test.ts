import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '@nightjar/config';
import { runProcess, type RunningProcess } from './run.ts';

let running: RunningProcess | undefined;
afterAll(async () => {
  await running?.stop();
});

describe('the embedded default on simulated tenants', () => {
  it('prints a summary once the backfill has played the attacks through: per feed, per rule, against the labels', async () => {
    const env = {
      NIGHTJAR_MODE: 'embedded',
      NIGHTJAR_DATA_DIR: mkdtempSync(join(tmpdir(), 'nightjar-summary-')),
      NIGHTJAR_ADMIN_HOST: '127.0.0.1',
      NIGHTJAR_ADMIN_PORT: '0',
      NIGHTJAR_API_HOST: '127.0.0.1',
      NIGHTJAR_API_PORT: '0',
      NIGHTJAR_SIMULATOR_SEED: '7',
      NIGHTJAR_SIMULATOR_DAYS: '7',
    };
    const { config } = loadConfig({ env });
    const lines: Array<{ msg: string; component?: string; recall?: number; events?: number }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as never) });
    running = await runProcess(config, [], log);
    expect(running.summary).toBeDefined();
    const summary = await running.summary!;

    const observable = summary.report.detections.reduce((sum, detection) => sum + detection.labels, 0);
    expect(summary.attacks).toBeGreaterThan(10);
    expect(observable + summary.unobservable.length).toBe(summary.attacks);

    // Every feed the simulated tenants' licences allow reached the pipeline.
    for (const kind of ['sign-in', 'directory-audit', 'audit-record', 'user-snapshot', 'device-snapshot'])
      expect(summary.eventsByKind[kind], kind).toBeGreaterThan(0);
    expect(summary.events).toBe(Object.values(summary.eventsByKind).reduce((sum, count) => sum + count, 0));

    // Caught once each feed goes out in event-time order and interactive sign-ins carry their session (beta).
    const caught = new Set(
      summary.report.detections.filter((detection) => detection.detected > 0).map((one) => one.detection),
    );
    for (const detection of [
      'impossible-travel',
      'password-spray',
      'brute-force',
      'legacy-auth',
      'privileged-role-added',
    ])
      expect(caught.has(detection), detection).toBe(true);
    expect(summary.recall).toBeGreaterThanOrEqual(0.9);

    const printed = lines.find((line) => line.msg.startsWith('run summary'));
    expect(printed?.recall).toBe(summary.recall);
    expect(printed?.msg).toContain('events collected per feed: ');
    expect(printed?.msg).toContain(`alerts ${summary.alerts}`);

    // Started again on the same data folder, it resumes from the collectors' checkpoints in the
    // bus journal: nothing is collected or alerted twice, and the summary covers the whole history.
    expect(lines.filter((line) => line.msg.startsWith('ALERT ')).length).toBeGreaterThan(0);
    await running.stop();
    // Detection windows were written on the clean stop and are read back (and the copy removed) on start.
    const snapshot = join(env.NIGHTJAR_DATA_DIR, 'state.json');
    expect(existsSync(snapshot)).toBe(true);
    lines.length = 0;
    running = await runProcess(config, [], log);
    expect(existsSync(snapshot)).toBe(false);
    const again = await running.summary!;
    expect(again.eventsByKind).toEqual(summary.eventsByKind);
    expect(again.alerts).toBe(summary.alerts);
    expect(again.recall).toBe(summary.recall);
    expect(lines.filter((line) => line.msg.startsWith('ALERT '))).toEqual([]);
  }, 240_000);
});
