import { describe, expect, it } from 'vitest';
import { distanceKm, formatDuration, roughly } from './distance.ts';

describe('distanceKm', () => {
  it('matches the catalog figures (detections.md §2.3)', () => {
    const capeTown = { lat: -33.92, lon: 18.42 };
    expect(distanceKm(capeTown, { lat: 44.43, lon: 26.1 })).toBeGreaterThan(8700);
    expect(distanceKm(capeTown, { lat: 44.43, lon: 26.1 })).toBeLessThan(8800);
    expect(Math.round(distanceKm({ lat: 52.37, lon: 4.9 }, { lat: 50.11, lon: 8.68 }))).toBeCloseTo(364, -1);
    expect(distanceKm(capeTown, capeTown)).toBe(0);
  });
});

describe('figures for people', () => {
  it.each([
    [8746, '8,750'],
    [26239, '26,000'],
    [363.6, '364'],
  ])('roughly(%d) = %s', (value, text) => expect(roughly(value)).toBe(text));
  it.each([
    [20 * 60_000, '20 min'],
    [12 * 3_600_000, '12 h'],
  ])('formatDuration(%d) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
