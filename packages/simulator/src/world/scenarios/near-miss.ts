/** Look-alikes a good engine must stay quiet on (detections.md §4 near misses). */
import { homeEgress, officeEgress, vpnEgress } from '../activity.ts';
import { APPS } from '../catalog.ts';
import { CITIES, distanceKm, ipIn, residentialPrefixes, type City } from '../cities.ts';
import { addExchangeCmdlet } from '../audits.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, type UserModel } from '../model.ts';
import { addSignIn } from '../signins.ts';
import type { ScenarioDefinition } from './context.ts';
import { farFromHome, numberParam, quietVictim, victim } from './context.ts';

const web = { client: APPS.officeHome, resource: APPS.graph } as const;

export const NEAR_MISS_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'near-miss/office-nat-typos',
    detection: null,
    mimics: 'password-spray',
    summary: 'a few staff behind the office NAT mistype their password once, then sign in',
    run(context) {
      const egress = officeEgress(context.model);
      // Staff who live where the office is: a remote worker at the office would be a trip of its own.
      const local = context.model.users.filter((u) => u.accountEnabled && distanceKm(u.home, egress.city) < 100);
      const users = (local.length > 0 ? local : context.model.users.filter((u) => u.accountEnabled)).slice(
        0,
        numberParam(context.params, 'users', 3),
      );
      const ids: string[] = [];
      users.forEach((user, n) => {
        const at = context.at + n * 4 * MINUTE_MS;
        const base = { ...web, ...egress, user, interactive: true } as const;
        ids.push(String(addSignIn(context.rng, context.model, { ...base, at, errorCode: 50126 })['id']));
        ids.push(String(addSignIn(context.rng, context.model, { ...base, at: at + 40_000 })['id']));
      });
      context.label({ entity: { kind: 'ip', id: egress.ip }, eventIds: ids });
    },
  },
  {
    name: 'near-miss/plausible-travel',
    detection: null,
    mimics: 'impossible-travel',
    summary: 'a user flies to another city and signs in after a flight-length gap',
    run(context) {
      // Asked for every sign-in of every candidate: one trip per user, worked out once.
      const trips = new Map<UserModel, { city: City; gap: number; risky: number }>();
      const tripOf = (traveller: UserModel): { city: City; gap: number; risky: number } => {
        const known = trips.get(traveller);
        if (known) return known;
        // The nearest city far enough to be travel (past the rule's distance floor and its error
        // margins), preferably where the tenant operates: a short trip leaves the traveller's
        // ordinary day the least room to pair with it.
        const byDistance = CITIES.filter((c) => distanceKm(traveller.home, c) >= 700).sort(
          (a, b) => distanceKm(traveller.home, a) - distanceKm(traveller.home, b),
        );
        const city =
          byDistance.find((c) => context.model.tenant.countries.includes(c.country)) ?? byDistance[0] ?? traveller.home;
        const km = distanceKm(traveller.home, city);
        // 500 km/h including airports: well under any impossible-travel speed.
        const gap = Math.max(2 * HOUR_MS, (km / 500) * HOUR_MS);
        // A sign-in at home closer than this to the landing would pair with it at airliner speed.
        const trip = { city, gap, risky: (km / 900) * HOUR_MS + HOUR_MS };
        trips.set(traveller, trip);
        return trip;
      };
      const pairsWithLanding = (at: number, leaving: number, traveller: UserModel): boolean => {
        const { gap, risky } = tripOf(traveller);
        return at > leaving && Math.abs(at - (leaving + gap)) < risky;
      };
      // Nobody else signs in as the traveller near the landing, nor far from home the day before
      // (another scenario's sign-ins would pair with the trip's).
      const user = quietVictim(context, context.at - DAY_MS, context.at + 2 * DAY_MS, (record, candidate) => {
        const at = Date.parse(String(record['createdDateTime']));
        return at > context.at ? pairsWithLanding(at, context.at, candidate) : farFromHome(record, candidate);
      });
      const home = homeEgress(user);
      const { city, gap } = tripOf(user);
      // In a small tenant everyone may sign in around then: then leave once the traveller is quiet.
      const signInTimes = context.model.store
        .signInsAt('interactive', context.at + 3 * DAY_MS)
        .filter((record) => record['userId'] === user.id)
        .map((record) => Date.parse(String(record['createdDateTime'])));
      const departure =
        Array.from({ length: 48 }, (_, step) => context.at + step * 30 * MINUTE_MS).find(
          (leaving) => !signInTimes.some((at) => pairsWithLanding(at, leaving, user)),
        ) ?? context.at;
      const first = addSignIn(context.rng, context.model, { ...web, ...home, at: departure, user, interactive: true });
      const second = addSignIn(context.rng, context.model, {
        ...web,
        city,
        ip: ipIn(context.rng.pick(residentialPrefixes(city)), context.rng.int(254)),
        asn: city.asn,
        at: departure + gap,
        user,
        interactive: true,
      });
      context.label({
        entity: { kind: 'user', id: user.userPrincipalName },
        eventIds: [String(first['id']), String(second['id'])],
      });
    },
  },
  {
    name: 'near-miss/vpn-egress',
    detection: null,
    mimics: 'impossible-travel',
    summary: "a user hops from home onto the company VPN, whose egress is in the tenant's trusted ranges",
    run(context) {
      // Nothing far from home that day, so the home sign-in pairs with no one's trip.
      const user = quietVictim(context, context.at - DAY_MS, context.at + DAY_MS, farFromHome);
      const first = addSignIn(context.rng, context.model, {
        ...web,
        ...homeEgress(user),
        at: context.at,
        user,
        interactive: true,
      });
      const second = addSignIn(context.rng, context.model, {
        ...web,
        ...vpnEgress(context.model, context.rng.int(254)),
        at: context.at + 15 * MINUTE_MS,
        user,
        interactive: true,
      });
      context.label({
        entity: { kind: 'user', id: user.userPrincipalName },
        eventIds: [String(first['id']), String(second['id'])],
      });
    },
  },
  {
    name: 'near-miss/internal-forward',
    detection: null,
    mimics: 'inbox-rule-external-forward',
    summary: 'an inbox rule forwarding to a colleague in the same tenant',
    run(context) {
      const user = victim(context);
      const colleague = context.model.users.find((u) => u !== user) ?? user;
      const auditId = addExchangeCmdlet(
        context.rng,
        context.model,
        context.at,
        user,
        homeEgress(user).ip,
        'New-InboxRule',
        `${user.userPrincipalName}\\Holiday cover`,
        {
          Mailbox: user.userPrincipalName,
          Name: 'Holiday cover',
          ForwardTo: colleague.userPrincipalName,
          StopProcessingRules: 'False',
        },
      );
      context.label({ entity: { kind: 'mailbox', id: user.userPrincipalName }, eventIds: [auditId] });
    },
  },
];
