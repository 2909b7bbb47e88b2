import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { HOUR, fileOf, isServiceActor } from '../shared.ts';

const params = z.object({
  /** URL prefixes where public sharing is by design (marketing sites), compared case-insensitively. */
  allowedPaths: z.array(z.string()).default([]),
});

const OPERATIONS = new Set(['AnonymousLinkCreated', 'AnonymousLinkUpdated']);

/** SPO-001: an "Anyone" link, reachable without signing in, created or widened on a file or folder. */
export const anonymousLink = defineRule({
  id: 'SPO-001',
  name: 'Anonymous sharing link created',
  description:
    'AnonymousLinkCreated or AnonymousLinkUpdated in SharePoint or OneDrive: an "Anyone with the link" URL that needs no sign-in. Paths under an allowlisted public site are left out; links by one user within an hour group into one alert.',
  severity: 'medium',
  mitre: ['T1567', 'T1530'],
  reads: ['audit-record'],
  params,
  groupWindowMs: HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (!OPERATIONS.has(event.operation) || isServiceActor(event)) return [];
    const file = fileOf(event);
    if (p.allowedPaths.some((prefix) => file.toLowerCase().startsWith(prefix.toLowerCase()))) return [];
    const user = event.user_id.toLowerCase();
    return [
      {
        entity: { type: 'user', id: user },
        at: event.time,
        summary: `${event.user_id} ${event.operation === 'AnonymousLinkCreated' ? 'created' : 'updated'} an anonymous link to ${file}`,
        users: [user],
        ips: event.src_ip ? [event.src_ip] : [],
        details: { file },
      },
    ];
  },
});
