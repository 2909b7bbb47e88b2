import type { MicrosoftRecord } from '../world/cloud.ts';

/** What Graph v1.0 returns for a user when the request has no $select (m365-api.md §5.1). */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
] as const;

/** Graph silently caps pages at this size once signInActivity is selected, whatever $top asks. */
export const SIGN_IN_ACTIVITY_PAGE_CAP = 120;

type SignInActivity = Readonly<Record<string, string | null>>;

export function selectsSignInActivity(fields: readonly string[] | undefined): boolean {
  // Graph matches property names case-insensitively in $select.
  return fields?.some((field) => field.toLowerCase() === 'signinactivity') ?? false;
}

const NEVER_SIGNED_IN: SignInActivity = {
  lastSignInDateTime: null,
  lastSignInRequestId: null,
  lastNonInteractiveSignInDateTime: null,
  lastNonInteractiveSignInRequestId: null,
  lastSuccessfulSignInDateTime: null,
  lastSuccessfulSignInRequestId: null,
};

// The world hands out the same newest-first array until a sign-in is added, so one summary per array suffices.
const SUMMARIES = new WeakMap<
  readonly MicrosoftRecord[],
  { nonInteractive: readonly MicrosoftRecord[]; byUser: Map<string, SignInActivity> }
>();

/** Each user's signInActivity, derived from the sign-ins the tenant has so far. */
export function signInActivityByUser(
  interactive: readonly MicrosoftRecord[],
  nonInteractive: readonly MicrosoftRecord[],
): ReadonlyMap<string, SignInActivity> {
  const cached = SUMMARIES.get(interactive);
  if (cached?.nonInteractive === nonInteractive) return cached.byUser;
  const byUser = new Map<string, Record<string, string | null>>();
  const note = (record: MicrosoftRecord, isInteractive: boolean): void => {
    const userId = record['userId'];
    if (typeof userId !== 'string') return;
    const activity = byUser.get(userId) ?? { ...NEVER_SIGNED_IN };
    byUser.set(userId, activity);
    const at = String(record['createdDateTime']);
    const id = String(record['id']);
    const later = (property: string): boolean => activity[property] === null || String(activity[property]) < at;
    if (isInteractive && later('lastSignInDateTime')) {
      activity['lastSignInDateTime'] = at;
      activity['lastSignInRequestId'] = id;
    }
    if (!isInteractive && later('lastNonInteractiveSignInDateTime')) {
      activity['lastNonInteractiveSignInDateTime'] = at;
      activity['lastNonInteractiveSignInRequestId'] = id;
    }
    const errorCode = (record['status'] as { errorCode?: unknown } | undefined)?.errorCode;
    if (errorCode === 0 && later('lastSuccessfulSignInDateTime')) {
      activity['lastSuccessfulSignInDateTime'] = at;
      activity['lastSuccessfulSignInRequestId'] = id;
    }
  };
  for (const record of interactive) note(record, true);
  for (const record of nonInteractive) note(record, false);
  SUMMARIES.set(interactive, { nonInteractive, byUser });
  return byUser;
}

/** A user as Graph answers it: the default properties without $select, the selected ones (plus id) with it. */
export function userView(
  record: MicrosoftRecord,
  fields: readonly string[] | undefined,
  activity: ReadonlyMap<string, SignInActivity> | undefined,
): MicrosoftRecord {
  const names = fields ?? DEFAULT_USER_PROPERTIES;
  const view: Record<string, unknown> = { id: record['id'] };
  for (const name of names) {
    if (name.toLowerCase() === 'signinactivity')
      view['signInActivity'] = activity?.get(String(record['id'])) ?? NEVER_SIGNED_IN;
    else if (name in record) view[name] = record[name];
  }
  return view;
}
