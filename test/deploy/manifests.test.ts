import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { listSettings, loadConfig, ROLE_NAMES } from '@nightjar/config';

/**
 * docker-compose.yml and the Kubernetes manifests cannot run here; these tests
 * keep them honest: every variable they set is a real setting, every role they
 * start exists, and the settings they give form a valid configuration.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SETTINGS = new Set(listSettings().map((setting) => setting.env));
const VALID_KEY = Buffer.alloc(32, 1).toString('base64');

interface Container {
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: object; limits?: object };
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { serviceName?: string; clusterIP?: string; template?: { spec?: { containers: Container[] } } };
}

function rolesIn(args: readonly string[]): string[] {
  const index = args.indexOf('--roles');
  expect(index, `no --roles in ${args.join(' ')}`).toBeGreaterThanOrEqual(0);
  return args[index + 1]!.split(',');
}

/** Compose interpolation: ${VAR:-default} takes the default, ${VAR:?message} a valid stand-in. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g,
    (_match, name: string, fallback?: string) =>
      fallback ?? (name === 'NIGHTJAR_SECURITY_ENCRYPTION_KEY' ? VALID_KEY : 'stand-in'),
  );
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { command?: string[]; environment?: Record<string, string | number>; image?: string }>;
  };
  const roleServices = Object.entries(compose.services).filter(([, service]) => service.image === 'nightjar:local');

  it('runs every role next to Kafka, Redis and ClickHouse', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['kafka', 'redis', 'clickhouse']));
    const roles = roleServices.flatMap(([, service]) => rolesIn(service.command ?? []));
    expect(roles.sort()).toEqual([...ROLE_NAMES].sort());
  });

  it('sets only real settings, and they validate', () => {
    for (const [name, service] of roleServices) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]),
      );
      for (const key of Object.keys(env)) expect(SETTINGS, `${name}: ${key}`).toContain(key);
      expect(() => loadConfig({ env })).not.toThrow();
    }
  });
});

describe('Kubernetes manifests', () => {
  const base = join(ROOT, 'deploy', 'kubernetes', 'base');
  const manifests = ['config.yaml', 'roles.yaml', 'api-service.yaml'].flatMap((file) =>
    parseAllDocuments(readFileSync(join(base, file), 'utf8')).map((document) => document.toJS() as Manifest),
  );
  const configMap = manifests.find((manifest) => manifest.kind === 'ConfigMap')!;
  const deployments = manifests.filter((manifest) => manifest.kind === 'Deployment' || manifest.kind === 'StatefulSet');
  const secretExample = Object.fromEntries(
    readFileSync(join(ROOT, 'deploy', 'kubernetes', 'overlays', 'production', 'secrets.env.example'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  it('has one Deployment per role, the collector a StatefulSet whose stable pod names are its transactional ids', () => {
    expect(
      deployments.flatMap((deployment) => rolesIn(deployment.spec!.template!.spec!.containers[0]!.args!)).sort(),
    ).toEqual([...ROLE_NAMES].sort());
    const collector = deployments.find((deployment) => deployment.metadata.name === 'nightjar-collector')!;
    expect(collector.kind).toBe('StatefulSet');
    const governing = manifests.find(
      (manifest) => manifest.kind === 'Service' && manifest.metadata.name === collector.spec!.serviceName,
    );
    expect(governing?.spec?.clusterIP).toBe('None');
    const transactionalId = collector.spec!.template!.spec!.containers[0]!.env!.find(
      (entry) => entry.name === 'NIGHTJAR_KAFKA_TRANSACTIONAL_ID',
    );
    expect(transactionalId?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
  });

  it('probes /healthz and /readyz and sets resources on every role', () => {
    for (const deployment of deployments) {
      const container = deployment.spec!.template!.spec!.containers[0]!;
      expect(container.livenessProbe?.httpGet?.path, deployment.metadata.name).toBe('/healthz');
      expect(container.readinessProbe?.httpGet?.path, deployment.metadata.name).toBe('/readyz');
      expect(container.resources?.requests, deployment.metadata.name).toBeDefined();
      expect(container.resources?.limits, deployment.metadata.name).toBeDefined();
      expect(container.envFrom?.map((source) => source.configMapRef?.name ?? source.secretRef?.name)).toEqual([
        'nightjar-config',
        'nightjar-secrets',
      ]);
    }
  });

  it('sets only real settings in the ConfigMap, the Secret and the containers, and they validate', () => {
    const containerEnv = deployments.flatMap((deployment) => deployment.spec!.template!.spec!.containers[0]!.env ?? []);
    const names = [
      ...Object.keys(configMap.data!),
      ...Object.keys(secretExample),
      ...containerEnv.map((entry) => entry.name),
    ];
    for (const name of names) expect(SETTINGS, name).toContain(name);
    for (const name of Object.keys(secretExample)) {
      expect(listSettings().find((setting) => setting.env === name)?.secret, `${name} belongs in the Secret`).toBe(
        true,
      );
    }
    expect(() =>
      loadConfig({ env: { ...configMap.data, ...secretExample, NIGHTJAR_SECURITY_ENCRYPTION_KEY: VALID_KEY } }),
    ).not.toThrow();
  });
});
