/**
 * Shared shape of the file-volume rules (mass download, mass deletion): the
 * distinct files one user touched with the given operations in a sliding
 * event-time window; a finding per event once the count reaches the
 * threshold, which the engine groups into one alert per burst.
 */
import type { AuditRecord } from '@nightjar/events';
import type { Finding, WindowAddStep } from '../../rule.ts';
import { MINUTE, fileOf, isGuest, isServiceActor } from './shared.ts';

export interface VolumeParams {
  readonly minFiles: number;
  readonly windowMs: number;
  readonly exemptUsers: readonly string[];
}

export function volumeStep(
  event: AuditRecord,
  operations: ReadonlySet<string>,
  p: VolumeParams,
): WindowAddStep | undefined {
  if (!operations.has(event.operation) || isServiceActor(event)) return undefined;
  const user = event.user_id.toLowerCase();
  if (p.exemptUsers.some((exempt) => exempt.toLowerCase() === user)) return undefined;
  return { op: 'windowAdd', key: `user:${user}`, member: fileOf(event), at: event.time, windowMs: p.windowMs };
}

export function volumeFinding(event: AuditRecord, files: number, verb: string, p: VolumeParams): Finding[] {
  if (files < p.minFiles) return [];
  const user = event.user_id.toLowerCase();
  return [
    {
      entity: { type: 'user', id: user },
      at: event.time,
      summary: `${event.user_id} ${verb} ${files} distinct files within ${Math.round(p.windowMs / MINUTE)} min${isGuest(user) ? ' (guest account)' : ''}`,
      users: [user],
      ips: event.src_ip ? [event.src_ip] : [],
      details: { files, guest: isGuest(user) },
    },
  ];
}
