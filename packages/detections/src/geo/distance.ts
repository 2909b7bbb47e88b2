const EARTH_RADIUS_KM = 6371.0088;

export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
}

/** Great-circle distance in km (haversine on the mean Earth radius). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;
  const dLat = toRadians(b.lat - a.lat);
  const dLon = toRadians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Rounds for people: 8,746 → "8,750"; 26,239 → "26,000"; keeps two significant digits above 10,000, three above 1,000. */
export function roughly(value: number): string {
  const magnitude = value >= 10_000 ? 1000 : value >= 1000 ? 10 : 1;
  return (Math.round(value / magnitude) * magnitude).toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 6) / 10} h`;
}
