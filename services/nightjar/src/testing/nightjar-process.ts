import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'nightjar.js');

/** `nightjar run` as a child process, the way a container runs it. */
export interface NightjarProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves once the process logged that it runs; rejects if it exits first. */
  readonly adminUrl: Promise<string>;
  /** Resolves once the process logged where its query API listens (api role only). */
  readonly apiUrl: Promise<string>;
  readonly exited: Promise<unknown>;
  /** The process's last log lines, for a failure message. */
  lastLines(): string;
  /** True once /readyz answers 200. */
  ready(): Promise<boolean>;
  /** The process's /metrics as text. */
  metricsText(): Promise<string>;
  /** The value of one metric series in /metrics (0 when absent). */
  metric(series: string): Promise<number>;
  /** The sum of the values `pattern` captures (its first group) over every line of /metrics; `pattern` needs the g and m flags. */
  metricSum(pattern: RegExp): Promise<number>;
  /** SIGTERM (after SIGCONT, should it be stopped) and wait for the exit; nothing if it already exited. */
  stop(): Promise<void>;
}

/** `logFile`: where every line the process writes is appended, for a look after a failure. */
export function startNightjar(name: string, env: NodeJS.ProcessEnv, logFile?: string): NightjarProcess {
  const child = spawn(process.execPath, [BIN, 'run'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  // KafkaJS can fill any window of lines while a broker is away: its lines are kept apart.
  const output: string[] = [];
  const kafkaOutput: string[] = [];
  const keep = (line: string): void => {
    log?.write(`${line}\n`);
    const lines = line.includes('"component":"kafkajs"') ? kafkaOutput : output;
    lines.push(line.slice(0, 400));
    if (lines.length > 20) lines.shift();
  };
  createInterface({ input: child.stderr }).on('line', keep);
  const adminUrl = new Promise<string>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${name} exited with ${code ?? signal}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      keep(line);
      const entry = JSON.parse(line) as { admin?: string; api?: string };
      if (entry.admin) resolve(entry.admin);
      if (entry.api) foundApi(entry.api);
    });
  });
  adminUrl.catch(() => undefined);
  let foundApi: (url: string) => void = () => undefined;
  const apiUrl = new Promise<string>((resolve, reject) => {
    foundApi = resolve;
    child.once('exit', (code, signal) => reject(new Error(`${name} exited with ${code ?? signal}`)));
  });
  apiUrl.catch(() => undefined);
  const exited = once(child, 'exit');
  const metricsText = async (): Promise<string> => (await fetch(`${await adminUrl}/metrics`)).text();
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    name,
    child,
    adminUrl,
    apiUrl,
    exited,
    lastLines: () =>
      [`--- ${name} (pid ${child.pid}) ---`, ...output, '(kafkajs)', ...kafkaOutput.slice(-5)].join('\n'),
    ready: async () => (await fetch(`${await adminUrl}/readyz`)).ok,
    metricsText,
    metric: async (series) => {
      const line = (await metricsText()).split('\n').find((candidate) => candidate.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    },
    metricSum: async (pattern) =>
      [...(await metricsText()).matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0),
    stop: async () => {
      if (alive()) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }
      await exited;
    },
  };
}
