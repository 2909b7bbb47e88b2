/** Directory changes: privileges, MFA, consent (detections.md §1.2-1.4). */
import { homeEgress } from '../activity.ts';
import { addDirectoryChange } from '../audits.ts';
import type { ScenarioDefinition } from './context.ts';
import { admin, stringParam, victim } from './context.ts';

export const ADMIN_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'privileged-role-added',
    detection: 'privileged-role-added',
    summary: 'a user made Global Administrator (or another privileged role)',
    run(context) {
      const actor = admin(context.model);
      const user = victim(context);
      const role = stringParam(context.params, 'role', 'Global Administrator');
      const ids = addDirectoryChange(context.rng, context.model, {
        at: context.at,
        activity: 'Add member to role',
        category: 'RoleManagement',
        operationType: 'Assign',
        actor,
        actorIp: homeEgress(actor).ip,
        target: { id: user.id, displayName: user.displayName, type: 'User', userPrincipalName: user.userPrincipalName },
        modified: [
          { displayName: 'Role.DisplayName', oldValue: null, newValue: role },
          { displayName: 'Role.TemplateId', oldValue: null, newValue: '62e90394-69f5-4237-9190-012177145e10' },
        ],
      });
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: [ids.graphId, ids.auditId] });
    },
  },
  {
    name: 'mfa-disabled',
    detection: 'mfa-disabled',
    summary: 'per-user MFA switched off for an account',
    run(context) {
      const actor = admin(context.model);
      const user = victim(context);
      const ids = addDirectoryChange(context.rng, context.model, {
        at: context.at,
        activity: 'Disable Strong Authentication',
        category: 'UserManagement',
        operationType: 'Update',
        actor,
        actorIp: homeEgress(actor).ip,
        target: { id: user.id, displayName: user.displayName, type: 'User', userPrincipalName: user.userPrincipalName },
        modified: [
          { displayName: 'StrongAuthenticationRequirement', oldValue: [{ RelyingParty: '*', State: 1 }], newValue: [] },
        ],
      });
      context.label({ entity: { kind: 'user', id: user.userPrincipalName }, eventIds: [ids.graphId, ids.auditId] });
    },
  },
  {
    name: 'app-consent',
    detection: 'app-consent',
    summary: 'a user consents to an unknown app asking for mail access offline',
    run(context) {
      const user = victim(context);
      const appName = stringParam(context.params, 'app', 'Mail Backup Pro');
      const appId = context.rng.guid();
      const ids = addDirectoryChange(context.rng, context.model, {
        at: context.at,
        activity: 'Consent to application',
        category: 'ApplicationManagement',
        operationType: 'Assign',
        actor: user,
        actorIp: homeEgress(user).ip,
        target: { id: appId, displayName: appName, type: 'ServicePrincipal' },
        modified: [
          { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: 'False' },
          {
            displayName: 'ConsentAction.Permissions',
            oldValue: null,
            newValue: `Scope: offline_access Mail.Read Mail.Send User.Read, ClientId: ${appId}`,
          },
        ],
      });
      context.label({ entity: { kind: 'app', id: appId }, eventIds: [ids.graphId, ids.auditId] });
    },
  },
];
