import { Registry, collectDefaultMetrics, Gauge } from 'prom-client';

export type { Registry } from 'prom-client';

/** One registry per process, with the standard process and Node.js metrics and build info. */
export function createMetricsRegistry(labels: { version: string; roles: readonly string[] }): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const buildInfo = new Gauge({
    name: 'nightjar_build_info',
    help: 'Version and roles of this process; always 1',
    labelNames: ['version', 'roles'] as const,
    registers: [registry],
  });
  buildInfo.set({ version: labels.version, roles: labels.roles.join(',') }, 1);
  return registry;
}
