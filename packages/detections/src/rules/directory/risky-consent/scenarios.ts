import type { Scenario } from '../../../testing/scenario.ts';
import { directoryAudit, directoryAudits, objectTarget, property } from '../fixtures.ts';

const APP_ID = '3b1a7c1e-5d0a-4b5e-9a7e-0c0ffee00001';

function consent(scopes: string, onBehalfOfAll = false, overrides: Parameters<typeof directoryAudit>[0] = {}) {
  return directoryAudit({
    activity: 'Consent to application',
    category: 'ApplicationManagement',
    actor_user_name: 'u01@fabrikam.example',
    targets: [
      objectTarget('ServicePrincipal', 'Mail Organizer Pro', 'sp-object-1', [
        property('ConsentContext.IsAdminConsent', '', String(onBehalfOfAll)),
        property('ConsentContext.OnBehalfOfAll', '', String(onBehalfOfAll)),
        property(
          'ConsentAction.Permissions',
          '',
          `[] => [[Id: abc, ClientId: sp-object-1, PrincipalId: uid-u01, ResourceId: graph, ConsentType: Principal, Scope: ${scopes}, CreatedDateTime: , LastModifiedDateTime ]]; `,
        ),
        property('TargetId.ServicePrincipalNames', '', APP_ID),
      ]),
    ],
    ...overrides,
  });
}

export const scenarios: Scenario[] = [
  {
    name: 'user consents offline_access Mail.Read',
    fires: true,
    events: directoryAudits([consent('openid offline_access Mail.Read')]),
    expect: {
      severity: 'high',
      entityId: APP_ID,
      summaryIncludes: ['u01@fabrikam.example consented for themselves to Mail Organizer Pro with Mail.Read'],
      details: { risky_permissions: 'Mail.Read' },
    },
  },
  {
    name: 'admin consent for all users with harmless scopes',
    fires: true,
    events: directoryAudits([consent('User.Read openid profile', true)]),
    expect: { summaryIncludes: ['for all users'] },
  },
  { name: 'User.Read openid profile', fires: false, events: directoryAudits([consent('User.Read openid profile')]) },
  {
    name: 'app on the tenant allowlist',
    fires: false,
    events: directoryAudits([consent('Mail.Read Files.Read.All')]),
    settings: {
      msps: {
        'msp-contoso': { tenants: { 'tenant-fabrikam': { ruleParams: { 'APP-002': { allowedApps: [APP_ID] } } } } },
      },
    },
  },
  {
    name: 'consent blocked (failure)',
    fires: false,
    events: directoryAudits([consent('Mail.Read', false, { result: 'failure' })]),
  },
];
