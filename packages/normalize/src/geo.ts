import geoip from 'geoip-lite';

export interface Geo {
  readonly country: string | null;
  readonly region: string | null;
  readonly city: string | null;
  readonly lat: number | null;
  readonly lon: number | null;
}

function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/** Location from the bundled GeoLite data, for records that carry none of their own. */
export function lookupGeo(ip: string | null): Geo | null {
  if (ip === null || /[xX]/.test(ip)) return null;
  const hit = geoip.lookup(ip);
  if (hit === null) return null;
  const [lat, lon] = hit.ll;
  return {
    country: orNull(hit.country),
    region: orNull(hit.region),
    city: orNull(hit.city),
    lat: lat ?? null,
    lon: lon ?? null,
  };
}
