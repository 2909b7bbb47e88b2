import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { NightjarError } from '@nightjar/core';
import { CollectorHealth } from './health.ts';

const T0 = Date.UTC(2026, 0, 5, 12);

async function lagOf(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('nightjar_collector_lag_seconds')!.get();
  return Object.fromEntries(
    metric.values.map((value) => [`${value.labels['tenant']}/${value.labels['feed']}`, value.value]),
  );
}

describe('collector health', () => {
  it('reports per tenant and feed how far behind the present everything has been read, growing while a feed is stuck', async () => {
    let now = T0;
    const registry = new Registry();
    const health = new CollectorHealth(registry, { now: () => now });
    health.succeeded('t1', 'signins', 10, T0, true, T0 - 2000);
    // Still backfilling: nothing is read through to the present yet, so no lag is claimed.
    health.succeeded('t2', 'signins', 1000, T0, false);
    expect(await lagOf(registry)).toEqual({ 't1/signins': 2 });

    now = T0 + 60_000;
    health.failed('t1', 'signins', new NightjarError('NJ_MS_THROTTLED', 'throttled'), now);
    expect(await lagOf(registry)).toEqual({ 't1/signins': 62 });

    health.succeeded('t1', 'signins', 3, now, true, now - 500);
    health.succeeded('t2', 'signins', 10, now, true, now - 1000);
    expect(await lagOf(registry)).toEqual({ 't1/signins': 0.5, 't2/signins': 1 });
  });

  it('keeps what worked and what failed last per feed', () => {
    const health = new CollectorHealth(new Registry(), { now: () => T0 });
    health.succeeded('t1', 'users', 4, T0, true, T0);
    const failed = health.failed('t1', 'users', new NightjarError('NJ_MS_AUTH', 'secret expired'), T0 + 1000);
    expect(failed).toMatchObject({
      tenantId: 't1',
      feed: 'users',
      lastSuccess: T0,
      lastAttempt: T0 + 1000,
      lastError: 'secret expired',
      lastErrorCode: 'NJ_MS_AUTH',
      consecutiveFailures: 1,
      eventsPublished: 4,
      caughtUpAt: T0,
    });
  });
});
