import { describe, expect, it } from 'vitest';
import { compareVersions } from './rule.ts';

describe('compareVersions', () => {
  it.each([
    ['10.0.19045.5011', '10.0.22000', -1],
    ['10.0.26100.2314', '10.0.22000', 1],
    ['17.0', '17', 0],
    ['16.7.10', '17.0', -1],
    ['14', '13', 1],
  ])('%s vs %s', (left, right, expected) => {
    expect(compareVersions(left, right)).toBe(expected);
  });
});
