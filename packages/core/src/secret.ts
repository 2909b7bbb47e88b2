import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '***';

/**
 * Wraps a credential so that logging, JSON serialisation or string
 * interpolation can never print it. Only `reveal()` returns the value.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** A short one-way digest, to tell secrets apart (cache keys, rotation) without holding or showing them. */
  fingerprint(): string {
    return createHash('sha256').update(this.#value).digest('hex').slice(0, 16);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
