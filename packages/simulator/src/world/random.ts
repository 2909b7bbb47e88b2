/**
 * The world's only source of randomness: sfc32 seeded from a string key, so
 * every generator (a tenant's day, a scenario injection) owns an independent
 * stream and generating in a different order cannot change any record.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Integer in [min, max]. */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  guid(): string;
  hex(chars: number): string;
}

function hashKey(key: string): [number, number, number, number] {
  // cyrb128: cheap, well-spread 128-bit seed from any string.
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

const HEX_CODES = Buffer.from('0123456789abcdef', 'latin1');
const scratch = Buffer.alloc(64);

/**
 * Copies a string built by concatenation into one flat string: V8 keeps
 * `a + b` as a tree of pieces, which for hundreds of thousands of record ids
 * costs more memory than the records themselves.
 */
export function flatten(value: string): string {
  if (value.length > scratch.length) return Buffer.from(value, 'latin1').toString('latin1');
  const length = scratch.write(value, 0, 'latin1');
  return scratch.toString('latin1', 0, length);
}

export function createRandom(key: string): Random {
  let [a, b, c, d] = hashKey(key);
  const nextUint = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint();
  const random: Random = {
    next: () => nextUint() / 4294967296,
    int: (n) => Math.floor((nextUint() / 4294967296) * n),
    between: (min, max) => min + Math.floor((nextUint() / 4294967296) * (max - min + 1)),
    chance: (p) => nextUint() / 4294967296 < p,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor((nextUint() / 4294967296) * items.length)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    weighted<T>(items: readonly (readonly [T, number])[]): T {
      let total = 0;
      for (const [, weight] of items) total += weight;
      let roll = random.next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll < 0) return item;
      }
      const last = items[items.length - 1];
      if (last === undefined) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
    guid() {
      let at = 0;
      for (let i = 0; i < 4; i++) {
        const word = nextUint();
        for (let nibble = 0; nibble < 8; nibble++) {
          if (at === 8 || at === 13 || at === 18 || at === 23) scratch[at++] = 45;
          let value = (word >>> (nibble * 4)) & 15;
          if (at === 14) value = 4;
          else if (at === 19) value = 8 | (value & 3);
          scratch[at++] = HEX_CODES[value] ?? 48;
        }
      }
      return scratch.toString('latin1', 0, 36);
    },
    hex(chars) {
      for (let i = 0; i < chars; i++) scratch[i] = HEX_CODES[nextUint() & 15] ?? 48;
      return scratch.toString('latin1', 0, chars);
    },
  };
  return random;
}
