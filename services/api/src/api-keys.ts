import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Secret } from '@nightjar/core';
import type { HistoryStore } from '@nightjar/store';

export type KeyRole = 'admin' | 'analyst';

/** Who is calling: an MSP's key (confined to that MSP) or the platform administrator. */
export type Caller =
  | { readonly kind: 'msp'; readonly mspId: string; readonly role: KeyRole; readonly keyId: string }
  | { readonly kind: 'platform' };

export interface IssuedKey {
  readonly keyId: string;
  readonly mspId: string;
  readonly role: KeyRole;
  readonly name: string;
  /** Shown once, at creation; only its SHA-256 is stored. */
  readonly key: string;
}

interface StoredKey {
  key_id: string;
  msp_id: string;
  role: KeyRole;
  name: string;
  secret_sha256: string;
  created: string;
  revoked: number;
}

const KEY_PATTERN = /^nj_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const CACHE_MS = 10_000;
const MAX_CACHED_KEYS = 10_000;

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * API keys per MSP, kept in the history store as SHA-256 digests (keys are
 * 256 random bits, so a fast hash is enough). Keys found are cached briefly,
 * the most recently used few thousand of them; a revocation takes effect
 * within that time on every API process. Key ids not found are not cached:
 * anyone can make up ids, and a key issued by another process must work at
 * once. Guessing is limited per address before a lookup (FailedAuthentications).
 */
export class ApiKeys {
  readonly #store: HistoryStore;
  readonly #platformKey: Secret | undefined;
  readonly #maxCached: number;
  /** Least recently used first. */
  readonly #cache = new Map<string, { at: number; key: StoredKey }>();

  constructor(store: HistoryStore, platformKey: Secret | undefined, options: { maxCachedKeys?: number } = {}) {
    this.#store = store;
    this.#platformKey = platformKey;
    this.#maxCached = options.maxCachedKeys ?? MAX_CACHED_KEYS;
  }

  async authenticate(presented: string | undefined): Promise<Caller | undefined> {
    if (!presented) return undefined;
    if (this.#platformKey && equal(sha256(presented), sha256(this.#platformKey.reveal()))) return { kind: 'platform' };
    const match = KEY_PATTERN.exec(presented);
    if (!match) return undefined;
    const stored = await this.#lookup(match[1]!);
    if (!stored || stored.revoked) return undefined;
    if (!equal(sha256(match[2]!), Buffer.from(stored.secret_sha256, 'hex'))) return undefined;
    return { kind: 'msp', mspId: stored.msp_id, role: stored.role, keyId: stored.key_id };
  }

  async issue(mspId: string, role: KeyRole, name: string): Promise<IssuedKey> {
    const keyId = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    await this.#write({ keyId, mspId, role, name, secretSha256: sha256(secret).toString('hex'), revoked: false });
    return { keyId, mspId, role, name, key: `nj_${keyId}_${secret}` };
  }

  async list(
    mspId: string,
  ): Promise<{ keyId: string; role: KeyRole; name: string; created: string; revoked: boolean }[]> {
    const rows = await this.#store.query<StoredKey>(
      `SELECT key_id, msp_id, role, name, secret_sha256, toString(created_time) AS created, revoked
       FROM api_keys FINAL WHERE msp_id = {msp:String} ORDER BY created_time`,
      { msp: mspId },
    );
    return rows.map((row) => ({
      keyId: row.key_id,
      role: row.role,
      name: row.name,
      created: row.created,
      revoked: Boolean(row.revoked),
    }));
  }

  /** Every MSP that has keys, with how many are still active: the platform's view, no MSP data. */
  async msps(): Promise<{ mspId: string; activeKeys: number; keys: number }[]> {
    const rows = await this.#store.query<{ msp_id: string; active: number | string; total: number | string }>(
      `SELECT msp_id, countIf(NOT revoked) AS active, count() AS total FROM api_keys FINAL GROUP BY msp_id ORDER BY msp_id`,
    );
    return rows.map((row) => ({ mspId: row.msp_id, activeKeys: Number(row.active), keys: Number(row.total) }));
  }

  /** Revokes every active key of an MSP (suspends its access); returns how many. */
  async revokeAll(mspId: string): Promise<number> {
    const active = (await this.list(mspId)).filter((key) => !key.revoked);
    for (const key of active) await this.revoke(mspId, key.keyId);
    return active.length;
  }

  /** False when the key does not exist in that MSP. */
  async revoke(mspId: string, keyId: string): Promise<boolean> {
    const stored = await this.#lookup(keyId, true);
    if (!stored || stored.msp_id !== mspId) return false;
    await this.#write({
      keyId,
      mspId,
      role: stored.role,
      name: stored.name,
      secretSha256: stored.secret_sha256,
      revoked: true,
    });
    this.#cache.delete(keyId);
    return true;
  }

  async #write(key: {
    keyId: string;
    mspId: string;
    role: KeyRole;
    name: string;
    secretSha256: string;
    revoked: boolean;
  }): Promise<void> {
    await this.#store.insert('api_keys', [
      {
        key_id: key.keyId,
        msp_id: key.mspId,
        role: key.role,
        name: key.name,
        secret_sha256: key.secretSha256,
        revoked: key.revoked,
        version: Date.now(),
      },
    ]);
  }

  async #lookup(keyId: string, fresh = false): Promise<StoredKey | undefined> {
    const cached = this.#cache.get(keyId);
    this.#cache.delete(keyId);
    if (!fresh && cached && Date.now() - cached.at < CACHE_MS) {
      this.#cache.set(keyId, cached);
      return cached.key;
    }
    const [row] = await this.#store.query<StoredKey>(
      `SELECT key_id, msp_id, role, name, secret_sha256, toString(created_time) AS created, revoked
       FROM api_keys FINAL WHERE key_id = {id:String} LIMIT 1`,
      { id: keyId },
    );
    if (!row) return undefined;
    this.#cache.set(keyId, { at: Date.now(), key: row });
    if (this.#cache.size > this.#maxCached) {
      const leastRecent = this.#cache.keys().next().value;
      if (leastRecent !== undefined) this.#cache.delete(leastRecent);
    }
    return row;
  }
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
