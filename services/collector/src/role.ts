import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EventBus } from '@nightjar/bus';
import type { Clock } from '@nightjar/core';
import type { StateStore } from '@nightjar/state';
import type { Feed } from './feeds/feed.ts';
import { CollectorHealth } from './health.ts';
import { FeedHealthReports } from './health-reports.ts';
import { CheckpointStore, CollectorOutput } from './output.ts';
import { leasedTenants } from './ownership.ts';
import { CollectorScheduler } from './scheduler.ts';
import type { CollectorTenant, TenantDirectory } from './tenants.ts';
import { collectorTopics, type TopicNaming } from './topics.ts';

export interface CollectorRoleOptions {
  readonly bus: EventBus;
  readonly state: StateStore;
  readonly directory: TenantDirectory;
  readonly feedsFor: (tenant: CollectorTenant) => readonly Feed[];
  readonly naming: TopicNaming;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Registry;
  readonly concurrency?: number;
  readonly leaseMs?: number;
  /** Called once the collector is stopped, to release what the composition root opened for it. */
  readonly onStopped?: () => Promise<void>;
}

export interface CollectorRole {
  readonly name: 'collector';
  start(): Promise<void>;
  stop(): Promise<void>;
  readiness(): { name: string; ok: boolean; detail?: string }[];
  readonly health: CollectorHealth;
}

/** The collector role: topics, checkpoints, tenant leases and the scheduler, wired to the ports it is given. */
export function createCollectorRole(options: CollectorRoleOptions): CollectorRole {
  const health = new CollectorHealth(options.metrics, options.clock);
  const healthReports = new FeedHealthReports({
    publisher: options.bus,
    naming: options.naming,
    clock: options.clock,
    log: options.log,
  });
  const processId = `${hostname()}-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const ownership = leasedTenants({
    state: options.state,
    directory: options.directory,
    processId,
    clock: options.clock,
    leaseMs,
  });
  let scheduler: CollectorScheduler | undefined;
  return {
    name: 'collector',
    health,
    async start() {
      await options.bus.ensureTopics(collectorTopics(options.naming));
      const checkpoints = await CheckpointStore.load(options.bus, options.naming);
      scheduler = new CollectorScheduler({
        feedsFor: options.feedsFor,
        ownedTenants: () => ownership.owned(),
        output: new CollectorOutput(options.bus, options.naming),
        checkpoints,
        health,
        healthReports,
        clock: options.clock,
        log: options.log,
        // Renewing three times per lease keeps it through a slow renewal.
        tenantRefreshMs: Math.floor(leaseMs / 3),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      });
      scheduler.start();
      options.log.info({ processId }, 'collector started');
    },
    async stop() {
      await scheduler?.stop();
      await healthReports.flush();
      await ownership.release();
      await options.onStopped?.();
    },
    readiness: () => [{ name: 'scheduler', ok: scheduler !== undefined }],
  };
}
