import type { SignIn } from '@nightjar/events';
import { PLACES, T0, failedSignIn, signIn } from '../testing/sign-ins.ts';

const CITIES = [PLACES.capeTown, PLACES.capeTown, PLACES.capeTown, PLACES.london, PLACES.amsterdam];

/**
 * A day-like mix of sign-ins for `tenants` tenants of `usersPerTenant` users:
 * mostly successes at home, non-interactive refreshes, password typos, MFA
 * prompts, a sprinkling of legacy clients; one event every `gapMs` of event time.
 */
export function signInWorkload(count: number, tenants = 20, usersPerTenant = 500, gapMs = 50): SignIn[] {
  const events: SignIn[] = [];
  // mulberry32: deterministic, so every run measures the same events.
  let seed = 42;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
  for (let index = 0; index < count; index++) {
    const tenant = Math.floor(random() * tenants);
    const userIndex = Math.floor(random() * usersPerTenant);
    const place = CITIES[(tenant + userIndex) % CITIES.length]!;
    const base = {
      tenant_id: `tenant-${tenant}`,
      user_name: `u${userIndex}@tenant${tenant}.example`,
      user_uid: `uid-${tenant}-${userIndex}`,
      src_ip: `198.51.${tenant}.${userIndex % 250}`,
      ...place,
      time: T0 + index * gapMs,
      session_id: `s-${tenant}-${userIndex}`,
    };
    const roll = random();
    if (roll < 0.55) events.push(signIn(base));
    else if (roll < 0.85) events.push(signIn({ ...base, is_interactive: false }));
    else if (roll < 0.95) events.push(failedSignIn(base));
    else if (roll < 0.98) events.push(failedSignIn({ ...base, status: 'interrupted', status_code: 50074 }));
    else events.push(signIn({ ...base, client_app: 'IMAP4', is_legacy_auth: true }));
  }
  return events;
}
