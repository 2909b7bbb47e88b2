/**
 * CRC-64-AVRO, the Rabin fingerprint the Avro specification defines for
 * single-object encoding, over a schema's Parsing Canonical Form.
 */
const EMPTY = 0xc15d213aa4d7a795n;
const MASK = 0xffffffffffffffffn;

const TABLE: readonly bigint[] = Array.from({ length: 256 }, (_, index) => {
  let fingerprint = BigInt(index);
  for (let bit = 0; bit < 8; bit += 1) {
    fingerprint = (fingerprint >> 1n) ^ (EMPTY & (-(fingerprint & 1n) & MASK));
  }
  return fingerprint;
});

/** The 8 fingerprint bytes, little-endian, as they appear after the 0xC3 0x01 marker. */
export function rabinFingerprint(canonicalForm: string): Buffer {
  let fingerprint = EMPTY;
  for (const byte of Buffer.from(canonicalForm, 'utf8')) {
    fingerprint = (fingerprint >> 8n) ^ TABLE[Number((fingerprint ^ BigInt(byte)) & 0xffn)]!;
  }
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(fingerprint);
  return bytes;
}
