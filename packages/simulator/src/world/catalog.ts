/** Microsoft's constants the world draws from (m365-api.md §2, §3, §5). */
import type { SkuName } from './cloud.ts';

export interface ServicePlan {
  readonly servicePlanId: string;
  readonly servicePlanName: string;
}

const PLAN = {
  exchangeStandard: { servicePlanId: '9aaf7827-d63c-4b61-89c3-182f06f82e5c', servicePlanName: 'EXCHANGE_S_STANDARD' },
  exchangeEnterprise: {
    servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0',
    servicePlanName: 'EXCHANGE_S_ENTERPRISE',
  },
  sharePointStandard: { servicePlanId: 'c7699d2e-19aa-44de-8edf-1736da088ca1', servicePlanName: 'SHAREPOINTSTANDARD' },
  sharePointEnterprise: {
    servicePlanId: '5dbe027f-2339-4123-9542-606e4d348a72',
    servicePlanName: 'SHAREPOINTENTERPRISE',
  },
  teams: { servicePlanId: '57ff2da0-773e-42df-b2af-ffb7a2317929', servicePlanName: 'TEAMS1' },
  officeApps: { servicePlanId: '43de0ff5-c92c-492b-9116-175376d08c38', servicePlanName: 'OFFICESUBSCRIPTION' },
  entraP1: { servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d', servicePlanName: 'AAD_PREMIUM' },
  entraP2: { servicePlanId: 'eec0eb4f-6444-4f95-aba0-50c24d67f998', servicePlanName: 'AAD_PREMIUM_P2' },
  intune: { servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', servicePlanName: 'INTUNE_A' },
} as const satisfies Record<string, ServicePlan>;

export interface Sku {
  readonly skuPartNumber: SkuName;
  readonly skuId: string;
  readonly productName: string;
  readonly plans: readonly ServicePlan[];
  /** Partner Center offer id used for the CSP subscription of this SKU. */
  readonly offerId: string;
}

const basicPlans = [PLAN.exchangeStandard, PLAN.sharePointStandard, PLAN.teams];

export const SKUS: Readonly<Record<SkuName, Sku>> = {
  O365_BUSINESS_ESSENTIALS: {
    skuPartNumber: 'O365_BUSINESS_ESSENTIALS',
    skuId: '3b555118-da6a-4418-894f-7df1e2096870',
    productName: 'Microsoft 365 Business Basic',
    plans: basicPlans,
    offerId: 'CFQ7TTC0LH18:0001',
  },
  O365_BUSINESS_PREMIUM: {
    skuPartNumber: 'O365_BUSINESS_PREMIUM',
    skuId: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3',
    productName: 'Microsoft 365 Business Standard',
    plans: [...basicPlans, PLAN.officeApps],
    offerId: 'CFQ7TTC0LDPB:0001',
  },
  SPB: {
    skuPartNumber: 'SPB',
    skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46',
    productName: 'Microsoft 365 Business Premium',
    plans: [...basicPlans, PLAN.officeApps, PLAN.entraP1, PLAN.intune],
    offerId: 'CFQ7TTC0LCHC:0002',
  },
  ENTERPRISEPACK: {
    skuPartNumber: 'ENTERPRISEPACK',
    skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900',
    productName: 'Office 365 E3',
    plans: [PLAN.exchangeEnterprise, PLAN.sharePointEnterprise, PLAN.teams, PLAN.officeApps],
    offerId: 'CFQ7TTC0LF8Q:0001',
  },
  ENTERPRISEPREMIUM: {
    skuPartNumber: 'ENTERPRISEPREMIUM',
    skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df',
    productName: 'Office 365 E5',
    plans: [PLAN.exchangeEnterprise, PLAN.sharePointEnterprise, PLAN.teams, PLAN.officeApps],
    offerId: 'CFQ7TTC0LF8S:0001',
  },
  SPE_E3: {
    skuPartNumber: 'SPE_E3',
    skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965',
    productName: 'Microsoft 365 E3',
    plans: [PLAN.exchangeEnterprise, PLAN.sharePointEnterprise, PLAN.teams, PLAN.officeApps, PLAN.entraP1, PLAN.intune],
    offerId: 'CFQ7TTC0LFLX:0001',
  },
  SPE_E5: {
    skuPartNumber: 'SPE_E5',
    skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06',
    productName: 'Microsoft 365 E5',
    plans: [
      PLAN.exchangeEnterprise,
      PLAN.sharePointEnterprise,
      PLAN.teams,
      PLAN.officeApps,
      PLAN.entraP1,
      PLAN.entraP2,
      PLAN.intune,
    ],
    offerId: 'CFQ7TTC0LFK5:0001',
  },
};

export function hasPlan(licences: readonly SkuName[], planName: string): boolean {
  return licences.some((sku) => SKUS[sku].plans.some((p) => p.servicePlanName === planName));
}

/** Licence mixes an MSP's customers typically hold, with how common each is. */
export const LICENCE_MIXES: readonly (readonly [readonly SkuName[], number])[] = [
  [['O365_BUSINESS_ESSENTIALS'], 3],
  [['O365_BUSINESS_PREMIUM'], 4],
  [['O365_BUSINESS_ESSENTIALS', 'O365_BUSINESS_PREMIUM'], 2],
  [['SPB'], 6],
  [['O365_BUSINESS_PREMIUM', 'SPB'], 2],
  [['ENTERPRISEPACK'], 1],
  [['SPE_E3'], 2],
  [['SPE_E5'], 1],
  [['SPE_E3', 'SPE_E5'], 1],
  [['ENTERPRISEPREMIUM'], 1],
];

export interface App {
  readonly appId: string;
  readonly appDisplayName: string;
}

export const APPS = {
  exchange: { appId: '00000002-0000-0ff1-ce00-000000000000', appDisplayName: 'Office 365 Exchange Online' },
  graph: { appId: '00000003-0000-0000-c000-000000000000', appDisplayName: 'Microsoft Graph' },
  sharePoint: { appId: '00000003-0000-0ff1-ce00-000000000000', appDisplayName: 'Office 365 SharePoint Online' },
  teamsService: { appId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', appDisplayName: 'Microsoft Teams Services' },
  teams: { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', appDisplayName: 'Microsoft Teams' },
  office: { appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', appDisplayName: 'Microsoft Office' },
  officeHome: { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', appDisplayName: 'OfficeHome' },
  outlookMobile: { appId: '27922004-5251-4030-b22d-91ecd9a37ea4', appDisplayName: 'Outlook Mobile' },
  oneDriveSync: { appId: 'ab9b8c07-8f02-4f72-87fa-80105867a763', appDisplayName: 'OneDrive SyncEngine' },
  azurePortal: { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', appDisplayName: 'Azure Portal' },
  broker: { appId: '29d9ed98-a469-4536-ade2-f981bc1d605e', appDisplayName: 'Microsoft Authentication Broker' },
} as const satisfies Record<string, App>;

/** status.failureReason text per AADSTS code (m365-api.md §3). */
export const FAILURE_REASONS: Readonly<Record<number, string>> = {
  50053: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.',
  50057: 'User account is disabled. The account has been disabled by an administrator.',
  50074: 'Strong Authentication is required.',
  50076:
    'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.',
  50126: 'Error validating credentials due to invalid username or password.',
  50140: "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
  53003: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  70044: 'The session has expired or is invalid due to sign-in frequency checks by conditional access.',
  500121: 'Authentication failed during strong authentication request.',
};

/** UserLoginFailed `LogonError` per code, as the Management API names it. */
export const LOGON_ERRORS: Readonly<Record<number, string>> = {
  50053: 'IdsLocked',
  50057: 'UserDisabled',
  50074: 'UserStrongAuthClientAuthNRequiredInterrupt',
  50076: 'UserStrongAuthClientAuthNRequired',
  50126: 'InvalidUserNameOrPassword',
  50140: 'KmsiInterrupt',
  53003: 'BlockedByConditionalAccess',
  70044: 'BadTokenDueToSignInFrequency',
  500121: 'AuthenticationFailedDuringStrongAuthRequest',
};

export const LEGACY_CLIENTS: readonly string[] = [
  'IMAP4',
  'POP3',
  'Authenticated SMTP',
  'Exchange ActiveSync',
  'Other clients',
];
