/** Guessing and pushing credentials: spray, stuffing, brute force, MFA fatigue (detections.md §1.1-1.2, §3). */
import { MINUTE_MS } from '../model.ts';
import type { TenantModel } from '../model.ts';
import { addSignIn } from '../signins.ts';
import type { ScenarioContext, ScenarioDefinition } from './context.ts';
import { attackerEgress, invalidScenario, numberParam, victim } from './context.ts';
import { ATTACKER_AGENT, id, web } from './identity.ts';

function failures(
  context: ScenarioContext,
  model: TenantModel,
  users: number,
  perUser: number,
  spanMinutes: number,
  ip = attackerEgress(context),
): string[] {
  const targets = model.users.filter((u) => u.accountEnabled).slice(0, users);
  const ids: string[] = [];
  targets.forEach((user, u) => {
    for (let n = 0; n < perUser; n++) {
      const at =
        context.at +
        Math.floor(((u * perUser + n) / (targets.length * perUser)) * spanMinutes * MINUTE_MS) +
        context.rng.int(20_000);
      const record = addSignIn(context.rng, model, {
        ...web,
        ...ip,
        at,
        user,
        interactive: true,
        errorCode: 50126,
        device: null,
        userAgent: ATTACKER_AGENT,
      });
      ids.push(id(record));
    }
  });
  return ids;
}

const minUsers = (n: number) => (m: TenantModel) => m.users.length >= n;

export const CREDENTIAL_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'password-spray',
    detection: 'password-spray',
    summary: 'one IP, one or two wrong passwords against many users of a tenant (needs 12+ users)',
    fits: minUsers(12),
    run(context) {
      const egress = attackerEgress(context);
      const ids = failures(
        context,
        context.model,
        numberParam(context.params, 'users', 15),
        numberParam(context.params, 'attemptsPerUser', 1),
        12,
        egress,
      );
      context.label({ entity: { kind: 'ip', id: egress.ip }, eventIds: ids });
    },
  },
  {
    name: 'credential-stuffing',
    detection: 'credential-stuffing',
    summary: 'one IP failing against users of several tenants (the MSP-wide view)',
    // Below three customers it is no longer the cross-tenant attack the detection is for.
    minTenants: 3,
    run(context) {
      const count = numberParam(context.params, 'tenants', 3);
      const others = context.models.filter((m) => m !== context.model);
      if (others.length + 1 < count)
        throw invalidScenario(
          `credential-stuffing across ${count} tenants needs ${count} tenants, the world has ${others.length + 1}`,
        );
      const hit = [context.model, ...others.slice(0, count - 1)];
      const egress = attackerEgress(context, hit);
      for (const model of hit) {
        const ids = failures(context, model, numberParam(context.params, 'usersPerTenant', 4), 1, 40, egress);
        context.label({ model, entity: { kind: 'ip', id: egress.ip }, eventIds: ids });
      }
    },
  },
  {
    name: 'brute-force',
    detection: 'brute-force',
    summary: 'many wrong passwords against one account in minutes',
    run(context) {
      const user = victim(context);
      const egress = attackerEgress(context);
      const attempts = numberParam(context.params, 'attempts', 25);
      const ids: string[] = [];
      for (let n = 0; n < attempts; n++) {
        const at = context.at + Math.floor((n / attempts) * 9 * MINUTE_MS);
        ids.push(
          id(
            addSignIn(context.rng, context.model, {
              ...web,
              ...egress,
              at,
              user,
              interactive: true,
              errorCode: 50126,
              device: null,
              userAgent: ATTACKER_AGENT,
            }),
          ),
        );
      }
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: ids });
    },
  },
  {
    name: 'mfa-fatigue',
    detection: 'mfa-fatigue',
    summary: 'repeated MFA prompts denied or ignored, then one approved',
    run(context) {
      const user = victim(context);
      const egress = attackerEgress(context);
      const prompts = numberParam(context.params, 'prompts', 12);
      const ids: string[] = [];
      for (let n = 0; n < prompts; n++) {
        const at = context.at + n * 40_000;
        const correlationId = context.rng.guid();
        const base = {
          ...web,
          ...egress,
          user,
          interactive: true,
          device: null,
          correlationId,
          userAgent: ATTACKER_AGENT,
        } as const;
        ids.push(id(addSignIn(context.rng, context.model, { ...base, at, errorCode: 50074 })));
        const detail =
          n % 3 === 2
            ? 'MFA denied; user did not respond to mobile app notification'
            : 'MFA denied; user declined the authentication';
        ids.push(
          id(
            addSignIn(context.rng, context.model, {
              ...base,
              at: at + 15_000,
              errorCode: 500121,
              additionalDetails: detail,
            }),
          ),
        );
      }
      const success = addSignIn(context.rng, context.model, {
        ...web,
        ...egress,
        user,
        interactive: true,
        device: null,
        userAgent: ATTACKER_AGENT,
        at: context.at + prompts * 40_000,
        additionalDetails: 'MFA completed in Azure AD',
      });
      ids.push(id(success));
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: ids });
    },
  },
];
