/** Look-alikes a good engine must stay quiet on (detections.md §4 near misses). */
import { homeEgress, officeEgress, vpnEgress } from '../activity.ts';
import { APPS } from '../catalog.ts';
import { CITIES, distanceKm, ipIn, residentialPrefixes } from '../cities.ts';
import { addExchangeCmdlet } from '../audits.ts';
import { HOUR_MS, MINUTE_MS } from '../model.ts';
import { addSignIn } from '../signins.ts';
import type { ScenarioDefinition } from './context.ts';
import { numberParam, victim } from './context.ts';

const web = { client: APPS.officeHome, resource: APPS.graph } as const;

export const NEAR_MISS_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'near-miss/office-nat-typos',
    detection: null,
    mimics: 'password-spray',
    summary: 'a few staff behind the office NAT mistype their password once, then sign in',
    run(context) {
      const egress = officeEgress(context.model);
      const users = context.model.users
        .filter((u) => u.accountEnabled)
        .slice(0, numberParam(context.params, 'users', 3));
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
      const user = victim(context);
      const home = homeEgress(user);
      const destinations = CITIES.filter((c) => context.model.tenant.countries.includes(c.country) && c !== user.home);
      const city =
        destinations[0] ??
        CITIES.filter((c) => c !== user.home).sort((a, b) => distanceKm(user.home, a) - distanceKm(user.home, b))[0] ??
        user.home;
      // 500 km/h including airports: well under any impossible-travel speed.
      const gap = Math.max(2 * HOUR_MS, (distanceKm(user.home, city) / 500) * HOUR_MS);
      const first = addSignIn(context.rng, context.model, { ...web, ...home, at: context.at, user, interactive: true });
      const second = addSignIn(context.rng, context.model, {
        ...web,
        city,
        ip: ipIn(context.rng.pick(residentialPrefixes(city)), context.rng.int(254)),
        asn: city.asn,
        at: context.at + gap,
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
      const user = victim(context);
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
