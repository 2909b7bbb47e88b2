import { z } from 'zod';
import type { DirectoryAudit } from '@nightjar/events';
import { defineRule } from '../../../rule.ts';
import { HOUR, actorOf, findProperty, isSuccess } from '../shared.ts';

const params = z.object({
  /** Scopes and app roles that read or send mail, read files or take over the directory (detections.md APP-002). */
  riskyPermissions: z
    .array(z.string())
    .default([
      'Mail.Read',
      'Mail.ReadBasic',
      'Mail.ReadWrite',
      'Mail.Read.Shared',
      'Mail.ReadWrite.Shared',
      'Mail.Send',
      'MailboxSettings.ReadWrite',
      'Files.Read',
      'Files.Read.All',
      'Files.ReadWrite',
      'Files.ReadWrite.All',
      'Sites.Read.All',
      'Sites.ReadWrite.All',
      'Notes.Read.All',
      'Chat.Read',
      'ChannelMessage.Read.All',
      'EWS.AccessAsUser.All',
      'EAS.AccessAsUser.All',
      'full_access_as_app',
      'full_access_as_user',
      'Directory.ReadWrite.All',
      'RoleManagement.ReadWrite.Directory',
      'AppRoleAssignment.ReadWrite.All',
      'Application.ReadWrite.All',
    ]),
  /** Approved apps (app id or display name), e.g. the tenant's backup or archiving tool. */
  allowedApps: z.array(z.string()).default([]),
});

/**
 * APP-002: consent granted to an application with mail, file or directory
 * permissions, or admin consent on behalf of every user. Consents to harmless
 * scopes (User.Read, openid, profile) stay quiet: they are every SaaS sign-up.
 */
export const riskyConsent = defineRule({
  id: 'APP-002',
  name: 'Consent granted to an application with high-risk permissions',
  description:
    'A successful "Consent to application" whose ConsentAction.Permissions include mail, file or directory scopes (Mail.Read, Files.Read.All, full_access_as_app, …), or an admin consent for all users. Apps on the tenant allowlist are left out.',
  severity: 'high',
  mitre: ['T1528', 'T1098.003'],
  reads: ['directory-audit'],
  params,
  groupWindowMs: HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (event.activity !== 'Consent to application' || !isSuccess(event)) return [];
    const app = appOf(event);
    if (p.allowedApps.some((allowed) => allowed.toLowerCase() === app.id || allowed === app.name)) return [];
    const granted = permissionsOf(event);
    const risky = p.riskyPermissions.filter((permission) =>
      granted.some((scope) => scope.toLowerCase() === permission.toLowerCase()),
    );
    const tenantWide = flag(event, 'ConsentContext.OnBehalfOfAll');
    if (risky.length === 0 && !tenantWide) return [];
    const actor = actorOf(event);
    const scope = tenantWide ? 'for all users' : 'for themselves';
    return [
      {
        entity: { type: 'app', id: app.id },
        at: event.time,
        summary: `${actor} consented ${scope} to ${app.name}${risky.length ? ` with ${risky.join(', ')}` : ''}`,
        users: event.actor_user_name ? [event.actor_user_name] : [],
        ips: event.actor_ip ? [event.actor_ip] : [],
        details: { app: app.name, app_id: app.id, risky_permissions: risky.join(' '), tenant_wide: tenantWide, actor },
      },
    ];
  },
});

function appOf(event: DirectoryAudit): { id: string; name: string } {
  const principal = event.targets.find((target) => target.type === 'ServicePrincipal') ?? event.targets[0];
  const names = findProperty(event, 'TargetId.ServicePrincipalNames')?.new;
  const appId = typeof names === 'string' ? names.split(';')[0]?.trim() : undefined;
  const id = (appId || principal?.uid || 'unknown app').toLowerCase();
  return { id, name: principal?.name ?? id };
}

/** ConsentAction.Permissions is prose, e.g. `[] => [[Id: …, ConsentType: Principal, Scope: Mail.Read offline_access, …]]`. */
function permissionsOf(event: DirectoryAudit): string[] {
  const value = findProperty(event, 'ConsentAction.Permissions')?.new;
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  const scopes: string[] = [];
  for (const match of text.matchAll(/Scope:\s*([^,\]]*)/g)) scopes.push(...(match[1] ?? '').split(/\s+/));
  for (const match of text.matchAll(/(?:Value|AppRole):\s*([\w.]+)/g)) scopes.push(match[1] ?? '');
  return scopes.filter(Boolean);
}

function flag(event: DirectoryAudit, name: string): boolean {
  const value = findProperty(event, name)?.new;
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}
