import { InvalidRecordError } from '@nightjar/core';
import type { UserSnapshot } from '@nightjar/events';
import { base, tenantOf, type NormalizeContext } from './context.ts';
import { bool, first, get, isRecord, list, obj, text } from './fields.ts';
import { contentId } from './hash.ts';
import { optionalTime } from './time.ts';

/** A Graph user (selected with accountEnabled, userType, assignedLicenses, signInActivity) at one poll. */
export function normalizeUser(record: unknown, context: NormalizeContext): UserSnapshot {
  if (!isRecord(record)) throw new InvalidRecordError('user record is not a JSON object');
  const uid = text(get(record, 'id'));
  if (uid === null) throw new InvalidRecordError('user record has no id');
  const upn = text(get(record, 'userPrincipalName'));
  if (upn === null) throw new InvalidRecordError('user record has no userPrincipalName');
  const enabled = bool(get(record, 'accountEnabled'));
  if (enabled === null) throw new InvalidRecordError('user record has no accountEnabled (add it to $select)');
  const tenantId = tenantOf(context, 'user');
  const skus = list(get(record, 'assignedLicenses'))
    .filter(isRecord)
    .map((licence) => text(get(licence, 'skuId')))
    .filter((sku): sku is string => sku !== null)
    .sort();
  const activity = obj(get(record, 'signInActivity'));
  const lastSignIn = activity === null ? null : first(activity, 'lastSuccessfulSignInDateTime');
  const state = {
    user_uid: uid,
    user_name: upn.toLowerCase(),
    user_display_name: text(get(record, 'displayName')),
    account_enabled: enabled,
    user_type: text(get(record, 'userType')),
    licence_sku_ids: skus,
    created_time: optionalTime(get(record, 'createdDateTime'), 'createdDateTime'),
    last_sign_in_time: optionalTime(lastSignIn, 'signInActivity.lastSuccessfulSignInDateTime'),
  };
  return {
    ...base(context, tenantId, contentId('user', tenantId, state), context.ingestTime),
    ...state,
    raw: JSON.stringify(record),
  };
}
