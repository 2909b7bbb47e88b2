import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { withoutNightjarSettings } from './testing/simulated-tenants.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'nightjar.js');

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with only the given NIGHTJAR_ variables, so the developer's own settings do not leak in. */
function nightjarEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...withoutNightjarSettings(),
    NIGHTJAR_DATA_DIR: mkdtempSync(join(tmpdir(), 'nightjar-cli-')),
    NIGHTJAR_API_PORT: '0',
    ...env,
  };
}

async function runCli(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  const child = spawn(process.execPath, [BIN, ...args], { env: nightjarEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

/** Starts `nightjar run`, resolves with the admin URL from the start-up log line. */
async function startRun(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; adminUrl: string; logs: unknown[] }> {
  const child = spawn(process.execPath, [BIN, 'run', ...args], {
    env: nightjarEnv({ NIGHTJAR_ADMIN_HOST: '127.0.0.1', NIGHTJAR_ADMIN_PORT: '0', ...env }),
  });
  running.push(child);
  const logs: unknown[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const adminUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`nightjar exited with ${code} before it was running: ${stderr}`)));
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { admin?: string; msg?: string };
      logs.push(entry);
      if (entry.admin && entry.msg?.startsWith('nightjar running')) resolve(entry.admin);
    });
  });
  return { child, adminUrl, logs };
}

/** Starts `nightjar sim` and resolves with the JSON line it prints once it listens. */
async function startSim(args: string[]): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [BIN, 'sim', ...args], { env: nightjarEnv({}) });
  running.push(child);
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`nightjar sim exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as Record<string, unknown>));
  });
}

describe('nightjar CLI', () => {
  it('starts the simulator and prints its URLs, CA and tenants as one JSON line, the same for the same seed', async () => {
    const args = ['--tenants', '2', '--days', '1', '--seed', '5', '--start-at', '2026-03-02T09:00:00Z'];
    const first = await startSim(args);
    const second = await startSim(args);
    for (const key of ['authority', 'graph', 'management', 'partnerCenter', 'admin'])
      expect(first[key]).toMatch(/^https:\/\/localhost:\d+/);
    expect(String(first['graph'])).not.toMatch(/v1\.0/);
    expect(readFileSync(String(first['caCert']), 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(first['tenants']).toHaveLength(2);
    expect(first['tenants']).toEqual(second['tenants']);
    const tenant = (first['tenants'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(tenant).sort()).toEqual(['clientId', 'clientSecret', 'domain', 'id', 'licences']);
    expect(Array.isArray(tenant['licences'])).toBe(true);
  });

  it('exits 2 and names the setting when the configuration is invalid', async () => {
    const result = await runCli(['config', 'check'], { NIGHTJAR_ADMIN_PORT: 'ninety' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('admin.port (NIGHTJAR_ADMIN_PORT)');
  });

  it('exits 2 for a role that does not exist', async () => {
    const result = await runCli(['run', '--roles', 'collecter']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('collecter');
  });

  it('prints the effective configuration without secrets', async () => {
    const result = await runCli(['config', 'print'], { NIGHTJAR_KAFKA_SASL_PASSWORD: 'kafka-pass-123' });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('kafka-pass-123');
    expect(JSON.parse(result.stdout)).toMatchObject({ mode: 'embedded', kafka: { saslPassword: '***' } });
  });

  it('replays exported records through the normalizers, naming the line of a malformed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightjar-replay-'));
    const file = join(dir, 'signins.ndjson');
    const signIn = {
      id: '7c1a3e2e-0000-4000-8000-000000000001',
      createdDateTime: '2026-03-02T08:14:07.1234567Z',
      userPrincipalName: 'Ana@Fabrikam.example',
      userId: '6f1c0000-0000-4000-8000-00000000a001',
      ipAddress: '203.0.113.44',
      clientAppUsed: 'IMAP4',
      isInteractive: true,
      status: { errorCode: 50126, failureReason: 'Invalid username or password.' },
      location: { city: 'Lagos', countryOrRegion: 'NG', geoCoordinates: { latitude: 6.45, longitude: 3.39 } },
    };
    writeFileSync(file, `${JSON.stringify(signIn)}\n{"id": broken\n`);
    const eventsOut = join(dir, 'events.ndjson');
    const result = await runCli([
      'replay',
      '--feed',
      'signins',
      '--tenant',
      'b86ab9d4-0000-4b11-8a06-7a8f91b47fbd',
      '--file',
      file,
      '--events-out',
      eventsOut,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ read: 2, normalized: 1, rejected: 1 });
    expect(result.stderr).toContain('signins.ndjson:2');
    const [line] = readFileSync(eventsOut, 'utf8').trim().split('\n');
    expect(JSON.parse(line!)).toMatchObject({
      kind: 'sign-in',
      event: {
        user_name: 'ana@fabrikam.example',
        status: 'failure',
        status_code: 50126,
        is_legacy_auth: true,
        src_country: 'NG',
      },
    });
  });

  it('lists every setting with its environment variable', async () => {
    const result = await runCli(['config', 'settings']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^NIGHTJAR_KAFKA_BROKERS\tkafka\.brokers/m);
  });

  it('runs embedded with health, readiness and metrics, and drains to exit 0 on SIGTERM', async () => {
    const { child, adminUrl } = await startRun(['--mode', 'embedded']);
    expect((await fetch(`${adminUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${adminUrl}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${adminUrl}/metrics`)).text()).toContain('nightjar_build_info');
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  it('answers the health command against a running process', async () => {
    const { adminUrl } = await startRun([]);
    const result = await runCli(['health', '--url', adminUrl]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('ok');
  });
});
