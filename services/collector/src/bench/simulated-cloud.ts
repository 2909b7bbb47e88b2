import { fork } from 'node:child_process';
import { createWorld, startSimulator } from '@nightjar/simulator';

export interface CloudPlan {
  readonly seed: number;
  readonly tenants: number;
  readonly days: number;
}

/** What the benchmark needs of a running simulator: where it is, who can sign in, and what it holds. */
export interface SimulatedCloud {
  readonly urls: {
    readonly authority: string;
    readonly graph: string;
    readonly management: string;
    readonly partnerCenter: string;
  };
  readonly caCertPem: string;
  readonly partnerTenantId: string;
  /** The simulated clock, frozen for the run. */
  readonly now: number;
  readonly tenants: readonly { id: string; clientId: string; clientSecret: string }[];
  /** Interactive and non-interactive sign-ins inside the backfill window. */
  readonly signIns: number;
}

export interface RunningCloud extends SimulatedCloud {
  close(): Promise<void>;
}

/** Starts the simulator with throttling off and the clock frozen, every tenant licensed and consented. */
export async function startCloud(plan: CloudPlan): Promise<RunningCloud> {
  const world = createWorld({ seed: plan.seed, tenants: plan.tenants, days: plan.days, scenarios: 'none' });
  for (const tenant of world.tenants()) world.setFeatures(tenant.id, { entraP1: true, consented: true });
  const simulator = await startSimulator({ world, clockFactor: 0, throttleScale: 0 });
  const now = simulator.context.clock.now();
  const since = now - plan.days * 86_400_000;
  const signIns = world
    .tenants()
    .flatMap((tenant) => [...world.signIns(tenant.id, 'interactive'), ...world.signIns(tenant.id, 'nonInteractive')])
    .filter((record) => Date.parse(String(record['createdDateTime'])) >= since).length;
  return {
    urls: simulator.urls,
    caCertPem: simulator.caCertPem,
    partnerTenantId: simulator.partner.tenantId,
    now,
    tenants: world.tenants().map((tenant) => ({ id: tenant.id, ...tenant.credentials })),
    signIns,
    close: () => simulator.close(),
  };
}

/**
 * The same simulator in a child process: serving pages (building them,
 * JSON, TLS) is Microsoft's work, not the collector's, and on a shared
 * event loop it also delays the collector's Kafka round trips.
 */
export async function startCloudProcess(plan: CloudPlan): Promise<RunningCloud> {
  const child = fork(new URL('./simulator-process.ts', import.meta.url), { stdio: 'inherit' });
  const cloud = await new Promise<SimulatedCloud>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the simulator process exited with ${code}`)));
    child.once('message', (message) => resolve(message as SimulatedCloud));
    child.send(plan);
  });
  child.removeAllListeners('exit');
  return {
    ...cloud,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
