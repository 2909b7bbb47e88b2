import { isDeepStrictEqual } from 'node:util';
import { createDetectionEngine, createMemorySettings } from '@nightjar/detections';
import { MINUTE, PLACES, T0, failedSignIn, signIn } from '@nightjar/detections/testing';
import { EVENT_KINDS, type Alert, type SignIn } from '@nightjar/events';
import { createMemoryState } from '@nightjar/state/memory';

/**
 * A labelled stream of sign-ins for running the detector in several
 * processes: incidents of one user (brute force, impossible travel), whose
 * events share a partition and so keep their order, and sprays whose
 * attempts come from many users and so arrive on every partition, in
 * whatever order the detector processes happen to handle them.
 *
 * Everything lies between 09:02 and 09:28 of one day, inside one grouping
 * bucket of every rule involved (30 and 60 minutes), so an incident's alert
 * id does not depend on which of its findings happened to come first.
 */
const STREAM_MSP = 'msp-crash';

const TENANTS = [
  { id: 'tenant-north', domain: 'north.example' },
  { id: 'tenant-south', domain: 'south.example' },
  { id: 'tenant-east', domain: 'east.example' },
] as const;
type Tenant = (typeof TENANTS)[number];

const BRUTE_FORCE_USERS_PER_TENANT = 8;
const TRAVELLERS_PER_TENANT = 8;
/** Travellers at the very end of the stream: per partition, the last event is one of theirs. */
const LATE_TRAVELLERS_PER_TENANT = 6;
const SPRAYED_USERS = 12;
const STUFFING_IPS = 2;

export interface DetectionStream {
  /** Every event except the closing ones, in event-time order. */
  readonly body: readonly SignIn[];
  /**
   * One last attempt per spray, later than the body: sent once the body is
   * handled on every partition, it reads back every earlier attempt of its
   * spray, so the spray's final alert is the same whatever order the
   * partitions were handled in (an attempt handled after every later one
   * would otherwise stay out of the evidence).
   */
  readonly closing: readonly SignIn[];
  /** How many alerts each rule must raise over the whole stream. */
  readonly incidents: Readonly<Record<string, number>>;
}

export function detectionStream(): DetectionStream {
  const body: SignIn[] = [];
  const closing: SignIn[] = [];
  let incident = 0;
  for (const tenant of TENANTS) {
    for (let index = 0; index < BRUTE_FORCE_USERS_PER_TENANT; index++)
      body.push(...bruteForce(tenant, `guessed${index}@${tenant.domain}`, incident++));
  }
  for (const tenant of TENANTS) {
    for (let index = 0; index < TRAVELLERS_PER_TENANT; index++) {
      const start = T0 + (4 + (incident % 10)) * MINUTE;
      body.push(...travel(tenant, `traveller${index}@${tenant.domain}`, incident++, start, 10 * MINUTE));
    }
    for (let index = 0; index < LATE_TRAVELLERS_PER_TENANT; index++) {
      const start = T0 + 24 * MINUTE + index * 10_000;
      body.push(...travel(tenant, `late${index}@${tenant.domain}`, incident++, start, 3 * MINUTE));
    }
  }
  TENANTS.forEach((tenant, index) => {
    const ip = `192.0.2.${11 + index}`;
    for (let user = 0; user < SPRAYED_USERS; user++) {
      const time = T0 + 6 * MINUTE + user * 40_000 + index * 10_000;
      body.push(sprayAttempt(tenant, `sprayed${user}@${tenant.domain}`, ip, time));
    }
    closing.push(sprayAttempt(tenant, `sprayed${SPRAYED_USERS}@${tenant.domain}`, ip, T0 + 26 * MINUTE));
  });
  for (let index = 0; index < STUFFING_IPS; index++) {
    const ip = `192.0.2.${21 + index}`;
    const userOf = (user: number): [Tenant, string] => {
      const tenant = TENANTS[user % TENANTS.length]!;
      return [tenant, `stuffed${index}-${user}@${tenant.domain}`];
    };
    for (let user = 0; user < SPRAYED_USERS; user++)
      body.push(sprayAttempt(...userOf(user), ip, T0 + 8 * MINUTE + user * 30_000 + index * 15_000));
    closing.push(sprayAttempt(...userOf(SPRAYED_USERS), ip, T0 + 26 * MINUTE + 30_000));
  }
  body.sort((a, b) => a.time - b.time);
  const tenants = TENANTS.length;
  return {
    body,
    closing,
    incidents: {
      'AUTH-001': tenants * (TRAVELLERS_PER_TENANT + LATE_TRAVELLERS_PER_TENANT),
      'AUTH-005': tenants,
      'AUTH-007': STUFFING_IPS,
      'AUTH-008': tenants * BRUTE_FORCE_USERS_PER_TENANT,
    },
  };
}

/** Twenty password failures in nine minutes from two addresses of its own, at irregular gaps. */
function bruteForce(tenant: Tenant, user: string, incident: number): SignIn[] {
  const start = T0 + (2 + (incident % 8)) * MINUTE;
  return Array.from({ length: 20 }, (_, index) =>
    failedSignIn({
      ...who(tenant, user),
      time: start + Math.round((index * 9 * MINUTE) / 20 + (index % 3) * 7_000),
      src_ip: `203.0.113.${2 * incident + (index % 2) + 1}`,
    }),
  );
}

/** Cape Town, then London `afterMs` later: far faster than any flight. */
function travel(tenant: Tenant, user: string, incident: number, start: number, afterMs: number): SignIn[] {
  return [
    signIn({ ...who(tenant, user), time: start, src_ip: `198.51.100.${2 * incident + 1}`, ...PLACES.capeTown }),
    signIn({
      ...who(tenant, user),
      time: start + afterMs,
      src_ip: `198.51.100.${2 * incident + 2}`,
      ...PLACES.london,
    }),
  ];
}

function sprayAttempt(tenant: Tenant, user: string, ip: string, time: number): SignIn {
  return failedSignIn({ ...who(tenant, user), time, src_ip: ip, ...PLACES.bucharest });
}

function who(tenant: Tenant, user: string): Pick<SignIn, 'msp_id' | 'tenant_id' | 'user_name' | 'user_uid'> {
  return { msp_id: STREAM_MSP, tenant_id: tenant.id, user_name: user, user_uid: `uid-${user}` };
}

/** The topic key of a sign-in: events of one key keep their order on the bus, whatever else happens. */
function keyOf(event: SignIn): string {
  return EVENT_KINDS['sign-in'].key(event);
}

/**
 * The events grouped by topic key, each key's events still in their order:
 * one extreme of what several detector processes may do, each draining its
 * own partitions one after another.
 */
export function keyByKey(events: readonly SignIn[], reversed = false): SignIn[] {
  const groups = new Map<string, SignIn[]>();
  for (const event of events) groups.set(keyOf(event), [...(groups.get(keyOf(event)) ?? []), event]);
  const ordered = [...groups.values()];
  return (reversed ? ordered.reverse() : ordered).flat();
}

/**
 * The alerts the detection engine raises in process, on memory state and the
 * default settings a detector without stored ones has, over `phases` in turn,
 * each phase's events one at a time: the latest revision of each alert id.
 */
export async function referenceAlerts(phases: readonly (readonly SignIn[])[]): Promise<Map<string, Alert>> {
  const engine = createDetectionEngine({ state: createMemoryState(), settings: createMemorySettings() });
  const latest = new Map<string, Alert>();
  for (const phase of phases) {
    for (const event of phase) {
      const result = await engine.process('sign-in', event);
      if (result.rejects.length > 0)
        throw new Error(
          `the stream holds a rejected sign-in: ${result.rejects.map((reject) => reject.reason).join('; ')}`,
        );
      for (const alert of result.alerts) {
        const seen = latest.get(alert.alert_id);
        if (!seen || seen.revision < alert.revision) latest.set(alert.alert_id, alert);
      }
    }
  }
  return latest;
}

/**
 * What an alert finally says, without what depends on how its findings were
 * merged: the revision (how many merges changed it, which differs with the
 * order its evidence arrived in), the wall-clock times of the merges, and the
 * order of its lists.
 */
export function settledView(alert: Alert): Omit<Alert, 'revision' | 'created_time' | 'updated_time'> {
  const { revision: _revision, created_time: _created, updated_time: _updated, ...rest } = alert;
  const sorted = (values: readonly string[]): string[] => [...values].sort();
  return {
    ...rest,
    tenant_ids: sorted(rest.tenant_ids),
    event_ids: sorted(rest.event_ids),
    users: sorted(rest.users),
    ips: sorted(rest.ips),
    countries: sorted(rest.countries),
  };
}

/** Where the alerts a consumer ends up with (the latest revision of each id) differ from the reference, one line each. */
export function alertDifferences(
  reference: ReadonlyMap<string, Alert>,
  published: ReadonlyMap<string, Alert>,
): string[] {
  const label = (alert: Alert): string => `${alert.alert_id} ${alert.rule_id} ${alert.entity_type}:${alert.entity_id}`;
  const lines: string[] = [];
  for (const [id, expected] of reference) {
    const actual = published.get(id);
    if (!actual) {
      lines.push(`missing ${label(expected)}`);
      continue;
    }
    const want: Record<string, unknown> = settledView(expected);
    const got: Record<string, unknown> = settledView(actual);
    for (const field of Object.keys(want))
      if (!isDeepStrictEqual(want[field], got[field]))
        lines.push(
          `differs ${label(expected)} ${field}: ${JSON.stringify(got[field])}, expected ${JSON.stringify(want[field])}`,
        );
  }
  for (const [id, actual] of published)
    if (!reference.has(id)) lines.push(`extra ${label(actual)} rev ${actual.revision}: ${actual.summary}`);
  return lines;
}
