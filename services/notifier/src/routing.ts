import { SEVERITY_RANK, type AlertView, type Severity } from './channels/channel.ts';

/** Which alerts a route takes; every condition given must hold, an empty match takes everything. */
export interface RouteMatch {
  readonly tenants?: readonly string[];
  /** Rule ids; a trailing `*` matches a prefix (`AUTH-*`). */
  readonly rules?: readonly string[];
  readonly minSeverity?: Severity;
  readonly entityTypes?: readonly string[];
}

export interface QuietHours {
  /** Local "HH:MM" in `timeZone`; a span past midnight (22:00 to 07:00) is allowed. */
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  /** Alerts of this severity or above are sent even in quiet hours. */
  readonly except: Severity;
}

export interface Route {
  readonly name: string;
  readonly match: RouteMatch;
  readonly targets: readonly string[];
  readonly quietHours?: QuietHours;
}

export interface MspRouting {
  readonly mspId: string;
  readonly routes: readonly Route[];
  /** Targets of alerts no route took. */
  readonly defaultTargets: readonly string[];
}

/** Where an alert goes now, and which targets its routes would have told but for quiet hours (with the route). */
export interface Routed {
  readonly targets: string[];
  /** Target name to the quiet route that held it back; only targets no other route sends to now. */
  readonly quiet: ReadonlyMap<string, string>;
}

/**
 * The targets an alert goes to: the union of every matching route's targets
 * outside its quiet hours, or the MSP's default targets when no route matched.
 * A route silenced by quiet hours still counts as matched, so a quiet night
 * does not spill alerts into the default route.
 */
export function routeAlert(alert: AlertView, routing: MspRouting | undefined, now: number): Routed {
  if (!routing) return { targets: [], quiet: new Map() };
  const targets = new Set<string>();
  const quiet = new Map<string, string>();
  let matched = false;
  for (const route of routing.routes) {
    if (!matches(route.match, alert)) continue;
    matched = true;
    const silenced = route.quietHours !== undefined && isQuiet(route.quietHours, alert.severity, now);
    for (const target of route.targets) {
      if (!silenced) targets.add(target);
      else if (!quiet.has(target)) quiet.set(target, route.name);
    }
  }
  if (!matched) for (const target of routing.defaultTargets) targets.add(target);
  for (const target of targets) quiet.delete(target);
  return { targets: [...targets], quiet };
}

export function targetsFor(alert: AlertView, routing: MspRouting | undefined, now: number): string[] {
  return routeAlert(alert, routing, now).targets;
}

export function matches(match: RouteMatch, alert: AlertView): boolean {
  if (match.tenants && !match.tenants.some((tenant) => alert.tenantIds.includes(tenant) || alert.tenantId === tenant))
    return false;
  if (match.rules && !match.rules.some((pattern) => ruleMatches(pattern, alert.ruleId))) return false;
  if (match.minSeverity && SEVERITY_RANK[alert.severity] < SEVERITY_RANK[match.minSeverity]) return false;
  if (match.entityTypes && !match.entityTypes.includes(alert.entityType)) return false;
  return true;
}

function ruleMatches(pattern: string, ruleId: string): boolean {
  return pattern.endsWith('*') ? ruleId.startsWith(pattern.slice(0, -1)) : pattern === ruleId;
}

export function isQuiet(quiet: QuietHours, severity: Severity, now: number): boolean {
  if (SEVERITY_RANK[severity] >= SEVERITY_RANK[quiet.except]) return false;
  const minute = minuteOfDay(now, quiet.timeZone);
  const from = parseClock(quiet.from);
  const to = parseClock(quiet.to);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

function minuteOfDay(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(now))
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return Number(parts['hour']) * 60 + Number(parts['minute']);
}

export function parseClock(text: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a time of day (HH:MM)`);
  return Number(match[1]) * 60 + Number(match[2]);
}
