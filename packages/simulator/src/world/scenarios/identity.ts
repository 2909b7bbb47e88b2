/** Sign-in anomalies: where, how and with what risk a user signs in (detections.md §1.1, §4.1). */
import { homeEgress } from '../activity.ts';
import { APPS, LEGACY_CLIENTS } from '../catalog.ts';
import { ipIn, residentialPrefixes } from '../cities.ts';
import { MINUTE_MS } from '../model.ts';
import { addSignIn } from '../signins.ts';
import type { ScenarioDefinition } from './context.ts';
import { attackerEgress, foreignCity, invalidScenario, numberParam, stringParam, victim } from './context.ts';

export const ATTACKER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
export const web = { client: APPS.officeHome, resource: APPS.graph } as const;

export function id(record: { readonly [key: string]: unknown }): string {
  return String(record['id']);
}

export const IDENTITY_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'impossible-travel',
    detection: 'impossible-travel',
    summary: 'two successes of one user from cities thousands of km apart within minutes',
    run(context) {
      const user = victim(context);
      const home = homeEgress(user);
      const far = foreignCity(context, numberParam(context.params, 'minKm', 2500), user.home);
      const gap = numberParam(context.params, 'minutes', 20) * MINUTE_MS;
      const first = addSignIn(context.rng, context.model, { ...web, ...home, at: context.at, user, interactive: true });
      const second = addSignIn(context.rng, context.model, {
        ...web,
        city: far,
        ip: ipIn(context.rng.pick(residentialPrefixes(far)), context.rng.int(254)),
        asn: far.asn,
        at: context.at + gap,
        user,
        interactive: true,
        device: null,
        userAgent: ATTACKER_AGENT,
      });
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: [id(first), id(second)] });
    },
  },
  {
    name: 'foreign-country-sign-in',
    detection: 'foreign-country-sign-in',
    summary: 'a success from a country where the tenant has no presence',
    run(context) {
      const user = victim(context);
      const city = foreignCity(context);
      if (context.model.tenant.countries.includes(city.country))
        throw invalidScenario(`tenant has presence in ${city.country}`);
      const record = addSignIn(context.rng, context.model, {
        ...web,
        city,
        ip: ipIn(context.rng.pick(residentialPrefixes(city)), context.rng.int(254)),
        asn: city.asn,
        at: context.at,
        user,
        interactive: true,
        device: null,
        userAgent: ATTACKER_AGENT,
      });
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: [id(record)] });
    },
  },
  {
    name: 'risky-sign-in',
    detection: 'risky-sign-in',
    summary: 'a success Identity Protection rates high risk (needs Entra ID P2)',
    fits: (m) => m.hasP2,
    run(context) {
      if (!context.model.hasP2)
        throw invalidScenario('risky-sign-in needs a tenant with Entra ID P2 (Microsoft 365 E5)');
      const user = victim(context);
      const egress = attackerEgress(context);
      const record = addSignIn(context.rng, context.model, {
        ...web,
        ...egress,
        at: context.at,
        user,
        interactive: true,
        device: null,
        userAgent: ATTACKER_AGENT,
        risk: { level: 'high', state: 'atRisk', eventTypes: ['anonymizedIPAddress', 'unfamiliarFeatures'] },
      });
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: [id(record)] });
    },
  },
  {
    name: 'legacy-auth',
    detection: 'legacy-auth',
    summary: 'a success through a basic-auth protocol (IMAP4, POP3, SMTP, ActiveSync…)',
    run(context) {
      const user = victim(context);
      const clientAppUsed = stringParam(context.params, 'client', LEGACY_CLIENTS[0] ?? 'IMAP4');
      if (!LEGACY_CLIENTS.includes(clientAppUsed))
        throw invalidScenario(`client must be one of ${LEGACY_CLIENTS.join(', ')}`);
      const egress = attackerEgress(context);
      const record = addSignIn(context.rng, context.model, {
        client: APPS.exchange,
        resource: APPS.exchange,
        ...egress,
        at: context.at,
        user,
        interactive: true,
        clientAppUsed,
        device: null,
        userAgent: 'BAV2ROPC',
      });
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: [id(record)] });
    },
  },
  {
    name: 'token-replay',
    detection: 'token-replay',
    summary: 'a session established at home, then refreshed from new infrastructure in another country',
    run(context) {
      const user = victim(context);
      const home = homeEgress(user);
      const first = addSignIn(context.rng, context.model, { ...web, ...home, at: context.at, user, interactive: true });
      const sessionId = String(first['sessionId']);
      const egress = attackerEgress(context);
      const replay = addSignIn(context.rng, context.model, {
        client: APPS.office,
        resource: APPS.exchange,
        ...egress,
        at: context.at + numberParam(context.params, 'minutes', 40) * MINUTE_MS,
        user,
        interactive: false,
        sessionId,
        correlationId: String(first['correlationId']),
        userAgent: ATTACKER_AGENT,
      });
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: [id(first), id(replay)] });
    },
  },
];
