import { describe, expect, it } from 'vitest';
import { createMemoryState } from '@nightjar/state/memory';
import { countingState } from '../bench/counting-state.ts';
import { bruteForce } from '../rules/sign-in/brute-force/rule.ts';
import { impossibleTravel } from '../rules/sign-in/impossible-travel/rule.ts';
import { mfaFatigue } from '../rules/sign-in/mfa-fatigue/rule.ts';
import { successAfterFailures } from '../rules/sign-in/success-after-failures/rule.ts';
import type { GeoLocator } from '../geo/locator.ts';
import { createMemorySettings } from '../settings.ts';
import { MINUTE, T0, failedSignIn, signIn } from '../testing/sign-ins.ts';
import { createDetectionEngine } from './engine.ts';

describe('engine plumbing', () => {
  it('runs a step several rules planned identically once per event', async () => {
    const counted = countingState(createMemoryState());
    const rules = [bruteForce, successAfterFailures, mfaFatigue];
    const engine = createDetectionEngine({ state: counted.state, settings: createMemorySettings(), rules });
    await engine.process('sign-in', failedSignIn());
    // Three rules record the failure in the shared per-user window: one windowAdd.
    expect(Object.fromEntries(counted.counts)).toEqual({ windowAdd: 1 });
    counted.counts.clear();
    await engine.process('sign-in', signIn({ time: T0 + MINUTE }));
    // Two rules read the recent failures on a success: one range.
    expect(Object.fromEntries(counted.counts)).toEqual({ windowRange: 1 });
  });

  it('locates sign-ins that arrive without coordinates through the geo port', async () => {
    const places: Record<string, { lat: number; lon: number; country: string; city: string; accuracyKm: number }> = {
      '198.51.100.10': { lat: -33.92, lon: 18.42, country: 'ZA', city: 'Cape Town', accuracyKm: 20 },
      '203.0.113.50': { lat: 44.43, lon: 26.1, country: 'RO', city: 'Bucharest', accuracyKm: 50 },
      '203.0.113.60': { lat: 46, lon: 25, country: 'RO', city: '', accuracyKm: 500 },
    };
    const geo: GeoLocator = { locate: (ip) => ({ region: null, ...places[ip]! }) };
    const engine = createDetectionEngine({
      state: createMemoryState(),
      settings: createMemorySettings(),
      rules: [impossibleTravel],
      geo,
    });
    const unplaced = { src_lat: null, src_lon: null, src_country: null, src_city: null };
    await engine.process('sign-in', signIn({ ...unplaced, src_ip: '198.51.100.10' }));
    const result = await engine.process(
      'sign-in',
      signIn({ ...unplaced, src_ip: '203.0.113.50', time: T0 + 20 * MINUTE }),
    );
    expect(result.alerts[0]?.summary).toContain('from Cape Town (ZA), then 20 min later from Bucharest (RO)');
    // A country centroid (500 km error) is no place to measure travel from.
    const vague = await engine.process(
      'sign-in',
      signIn({ ...unplaced, src_ip: '203.0.113.60', user_name: 'bo@fabrikam.example', time: T0 + 40 * MINUTE }),
    );
    const afterVague = await engine.process(
      'sign-in',
      signIn({ ...unplaced, src_ip: '198.51.100.10', user_name: 'bo@fabrikam.example', time: T0 + 50 * MINUTE }),
    );
    expect([...vague.alerts, ...afterVague.alerts]).toEqual([]);
  });
});
