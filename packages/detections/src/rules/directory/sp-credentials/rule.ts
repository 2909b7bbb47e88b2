import { z } from 'zod';
import type { DirectoryAudit } from '@nightjar/events';
import { defineRule } from '../../../rule.ts';
import { DAY, HOUR, actorOf, isSuccess, targetName } from '../shared.ts';

const params = z.object({
  /** Pipelines and service principals that rotate secrets (actor UPN, app name or app id). */
  knownActors: z.array(z.string()).default([]),
  /** How long an actor stays "usual" for an app. */
  actorMemoryMs: z
    .number()
    .int()
    .positive()
    .default(10 * DAY),
});

const ACTIVITIES = new Set([
  'Add service principal credentials',
  'Update application – Certificates and secrets management',
  'Update application - Certificates and secrets management',
]);

/**
 * APP-004: a secret or certificate added to a service principal or
 * application. High when someone other than the app's recent credential
 * managers adds it (the persistence pattern after an illicit consent).
 */
export const spCredentials = defineRule({
  id: 'APP-004',
  name: 'Credentials added to a service principal or application',
  description:
    'A successful "Add service principal credentials" or "Update application – Certificates and secrets management". High when the actor is not among those who managed the app\'s credentials in the previous 10 days while others did; known rotation actors are left out.',
  severity: 'medium',
  mitre: ['T1098.001'],
  reads: ['directory-audit'],
  params,
  groupWindowMs: HOUR,
  plan({ event }, { params: p }) {
    if (!ACTIVITIES.has(event.activity) || !isSuccess(event)) return {};
    const actor = actorOf(event);
    if (p.knownActors.some((known) => known.toLowerCase() === actor.toLowerCase())) return {};
    return {
      adders: {
        op: 'windowAdd',
        key: `app:${appKey(event)}`,
        member: actor.toLowerCase(),
        at: event.time,
        windowMs: p.actorMemoryMs,
      },
    };
  },
  decide({ event }, results) {
    if (!results.adders) return [];
    const actor = actorOf(event);
    const app = targetName(event, 'ServicePrincipal') ?? targetName(event, 'Application') ?? appKey(event);
    const newActor = results.adders.added && results.adders.count > 1;
    return [
      {
        entity: { type: 'app', id: appKey(event) },
        severity: newActor ? 'high' : 'medium',
        at: event.time,
        summary: `${actor} added credentials to ${app}${newActor ? ', unlike its usual credential managers' : ''}`,
        users: event.actor_user_name ? [event.actor_user_name] : [],
        ips: event.actor_ip ? [event.actor_ip] : [],
        details: { app, actor, new_actor: newActor },
      },
    ];
  },
});

function appKey(event: DirectoryAudit): string {
  const target = event.targets.find((candidate) => candidate.uid) ?? event.targets[0];
  return (target?.uid ?? target?.name ?? 'unknown').toLowerCase();
}
