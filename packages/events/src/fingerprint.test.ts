import { describe, expect, it } from 'vitest';
import { rabinFingerprint } from './fingerprint.ts';

describe('rabinFingerprint', () => {
  // Reference values published with Avro's own implementations, as unsigned 64-bit integers.
  it.each([
    ['"int"', 0x7275d51a3f395c8fn],
    ['"string"', 0x8f014872634503c7n],
    ['"null"', 7195948357588979594n],
  ])('fingerprints %s as the reference implementation does', (canonical, expected) => {
    expect(rabinFingerprint(canonical).readBigUInt64LE()).toBe(expected);
  });
});
