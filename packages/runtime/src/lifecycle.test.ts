import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { RoleRunner } from './lifecycle.ts';
import type { Role } from './role.ts';

const silent = createLogger({ level: 'silent', format: 'json', redact: [] });

function recordingRole(name: string, journal: string[], failStart = false): Role {
  return {
    name,
    start: async () => {
      if (failStart) throw new Error(`${name} cannot start`);
      journal.push(`start ${name}`);
    },
    stop: async () => {
      journal.push(`stop ${name}`);
    },
    readiness: () => [{ name: 'consumer', ok: true }],
  };
}

describe('RoleRunner', () => {
  it('starts roles in order, stops them in reverse and reports readiness per role', async () => {
    const journal: string[] = [];
    const runner = new RoleRunner([recordingRole('collector', journal), recordingRole('sink', journal)], silent);
    expect(runner.readiness()[0]).toMatchObject({ name: 'runtime', ok: false });
    await runner.start();
    expect(runner.readiness()).toEqual([
      { name: 'runtime', ok: true, detail: 'running' },
      { name: 'collector.consumer', ok: true },
      { name: 'sink.consumer', ok: true },
    ]);
    await runner.stop();
    expect(journal).toEqual(['start collector', 'start sink', 'stop sink', 'stop collector']);
    expect(runner.state).toBe('stopped');
  });

  it('stops the started roles when a later one fails to start', async () => {
    const journal: string[] = [];
    const runner = new RoleRunner(
      [recordingRole('collector', journal), recordingRole('detector', journal, true), recordingRole('sink', journal)],
      silent,
    );
    await expect(runner.start()).rejects.toThrow('detector cannot start');
    expect(journal).toEqual(['start collector', 'stop collector']);
    expect(runner.state).toBe('failed');
  });
});

describe('createLogger', () => {
  it('censors the configured secret paths', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ level: 'info', format: 'json', redact: ['redis.url', '*.clientSecret'], destination });
    log.info({ redis: { url: 'redis://:pw@h:1' }, tenant: { clientSecret: 's3cr3t', id: 't1' } }, 'configured');
    const line = lines.join('');
    expect(line).not.toContain('pw@h');
    expect(line).not.toContain('s3cr3t');
    expect(JSON.parse(line)).toMatchObject({ redis: { url: '***' }, tenant: { clientSecret: '***', id: 't1' } });
  });
});
