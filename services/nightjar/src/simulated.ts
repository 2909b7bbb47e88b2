import type { NightjarConfig } from '@nightjar/config';
import type { SettingsDocument } from '@nightjar/detections';
import type { Logger } from '@nightjar/runtime';
import { createWorld, startSimulator, type RunningSimulator, type World } from '@nightjar/simulator';

export interface SimulatedEnvironment {
  readonly world: World;
  readonly simulator: RunningSimulator;
  readonly mspId: string;
}

const HOUR_MS = 3_600_000;
let shared: Promise<SimulatedEnvironment> | undefined;
let users = 0;

/** True when this process serves simulated tenants: the embedded default with no tenants file. */
export function usesSimulatedTenants(config: NightjarConfig): boolean {
  return config.mode === 'embedded' && !config.collector.tenantsFile;
}

/**
 * The simulated Microsoft 365 of the embedded default, one per process and
 * shared by the roles that need it: the collector reads it, the detector is
 * configured for its tenants the way an MSP would configure real ones.
 */
export function acquireSimulatedEnvironment(config: NightjarConfig, log: Logger): Promise<SimulatedEnvironment> {
  users += 1;
  shared ??= (async () => {
    const world = createWorld({
      seed: config.simulator.seed,
      tenants: config.simulator.tenants,
      days: config.simulator.days,
      startAt: Math.floor(Date.now() / HOUR_MS) * HOUR_MS,
      scenarios: 'all',
    });
    const simulator = await startSimulator({ world, clockFactor: 1 });
    log.info(
      {
        tenants: world.tenants().length,
        authority: simulator.urls.authority,
        labels: `${simulator.urls.admin}/labels`,
      },
      'no tenants configured: serving simulated tenants',
    );
    return { world, simulator, mspId: 'simulated-msp' };
  })();
  return shared;
}

export async function releaseSimulatedEnvironment(): Promise<void> {
  users -= 1;
  if (users > 0 || !shared) return;
  const environment = await shared;
  shared = undefined;
  await environment.simulator.close();
}

/** Each simulated customer's countries of presence and trusted (VPN) egress, as its MSP would set them. */
export function simulatedDetectionSettings(world: World, mspId: string): SettingsDocument {
  const tenants = Object.fromEntries(
    world
      .tenants()
      .map((tenant) => [tenant.id, { presenceCountries: tenant.countries, trustedCidrs: tenant.trustedCidrs ?? [] }]),
  );
  return { msps: { [mspId]: { tenants } } };
}
