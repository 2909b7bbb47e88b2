import type { GeoPoint } from './distance.ts';

export interface GeoLocation extends GeoPoint {
  readonly country: string | null;
  readonly city: string | null;
  readonly region: string | null;
  /** Approximate error radius (geoip-lite's `area`): country-level answers are 500–1,000 km off. */
  readonly accuracyKm: number;
}

/** Resolves an IP to a place, synchronously (the engine calls it on the hot path for events without coordinates). */
export interface GeoLocator {
  locate(ip: string): GeoLocation | null;
}

/**
 * geoip-lite's bundled city database, loaded on first use (about 100 MB, a
 * second or two), so processes that never need it do not pay for it.
 */
export async function loadGeoipLocator(): Promise<GeoLocator> {
  const { default: geoip } = await import('geoip-lite');
  return {
    locate(ip) {
      const found = geoip.lookup(ip);
      if (!found) return null;
      const [lat, lon] = found.ll;
      if (lat === undefined || lon === undefined || (lat === 0 && lon === 0)) return null;
      return {
        lat,
        lon,
        country: found.country || null,
        city: found.city || null,
        region: found.region || null,
        accuracyKm: found.area,
      };
    },
  };
}
