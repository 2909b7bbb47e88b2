import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const LOCAL = join(ROOT, 'deploy', 'local');

/**
 * A Kafka broker of a test's own, from the jars `deploy/local/infra.sh`
 * fetched: for a test that restarts its broker without disturbing the shared
 * one other suites use at the same time.
 */
export interface OwnKafkaBroker {
  readonly brokers: string[];
  /** Stops the broker cleanly (SIGTERM) and starts it again on the same storage and ports. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** The last lines of the broker's log, for a failure message. */
  logTail(lines?: number): string;
}

export async function startOwnKafkaBroker(dataDir: string): Promise<OwnKafkaBroker> {
  const version = /<kafka\.version>(.+)<\/kafka\.version>/.exec(
    readFileSync(join(LOCAL, 'kafka', 'pom.xml'), 'utf8'),
  )?.[1];
  const libs = join(ROOT, '.cache', `kafka-${version}`, 'libs');
  if (!existsSync(libs)) throw new Error(`Kafka's jars are not in ${libs}: run deploy/local/infra.sh up first`);
  const [port, controllerPort] = [await freePort(), await freePort()];
  const logsDir = join(dataDir, 'logs');
  mkdirSync(join(dataDir, 'log'), { recursive: true });
  mkdirSync(logsDir, { recursive: true });
  const properties = join(dataDir, 'server.properties');
  writeFileSync(
    properties,
    readFileSync(join(LOCAL, 'kafka', 'server.properties.template'), 'utf8')
      .replaceAll('@PORT@', String(port))
      .replaceAll('@CONTROLLER_PORT@', String(controllerPort))
      .replaceAll('@DATA_DIR@', dataDir),
  );
  const javaOptions = [
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(LOCAL, 'kafka', 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${logsDir}`,
  ];
  const classpath = ['-cp', `${libs}/*`];
  const clusterId = execFileSync('java', [...classpath, 'kafka.tools.StorageTool', 'random-uuid'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1)!;
  execFileSync(
    'java',
    [...javaOptions, ...classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties],
    { stdio: 'ignore' },
  );
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    child = spawn('java', [...javaOptions, ...classpath, 'kafka.Kafka', properties], { stdio: 'ignore' });
    const waiter = spawn(process.execPath, [join(LOCAL, 'wait-for-kafka.ts'), address, '90000'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let complaint = '';
    waiter.stderr.on('data', (chunk: Buffer) => (complaint += chunk.toString()));
    const [code] = (await once(waiter, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`own Kafka broker on ${address} did not come up: ${complaint}\n${logTail(30)}`);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  const logTail = (lines = 20): string => {
    const log = join(logsDir, 'server.log');
    return existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-lines).join('\n') : '(no broker log yet)';
  };

  await start();
  return {
    brokers: [address],
    restart: async () => {
      await stop();
      await start();
    },
    stop,
    logTail,
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}
