/** SharePoint / OneDrive exfiltration (detections.md §1.6). */
import { homeEgress } from '../activity.ts';
import { fileOperation } from '../workloads.ts';
import type { ScenarioDefinition } from './context.ts';
import { attackerEgress, numberParam, stringParam, victim } from './context.ts';

const RCLONE_AGENT = 'rclone/v1.66.0';

export const FILE_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'anonymous-link',
    detection: 'anonymous-link',
    summary: 'an "Anyone" link created on a sensitive file',
    run(context) {
      const user = victim(context);
      const auditId = fileOperation(context.rng, context.model, {
        at: context.at,
        user,
        ip: homeEgress(user).ip,
        operation: 'AnonymousLinkCreated',
        recordType: 14,
        fileName: stringParam(context.params, 'file', 'payroll.xlsx'),
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/136.0.0.0',
        extra: { EventData: '<Type>View</Type>', UniqueSharingId: context.rng.guid() },
      });
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: [auditId] });
    },
  },
  {
    name: 'mass-download',
    detection: 'mass-download',
    summary: 'dozens of distinct files downloaded in three minutes from one session',
    run(context) {
      const user = victim(context);
      const egress = attackerEgress(context);
      const count = numberParam(context.params, 'files', 40);
      const ids: string[] = [];
      for (let n = 0; n < count; n++) {
        ids.push(
          fileOperation(context.rng, context.model, {
            at: context.at + Math.floor((n / count) * 3 * 60_000),
            user,
            ip: egress.ip,
            operation: 'FileDownloaded',
            fileName: `Client-${String(n + 1).padStart(3, '0')}.xlsx`,
            userAgent: RCLONE_AGENT,
          }),
        );
      }
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: ids });
    },
  },
];
