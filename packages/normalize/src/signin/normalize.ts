import { InvalidRecordError } from '@nightjar/core';
import type { SignIn } from '@nightjar/events';
import type { NormalizeContext } from '../context.ts';
import { isRecord } from '../fields.ts';
import { diagnosticBody, isManagementRecord } from '../shapes.ts';
import { fromGraphSignIn } from './graph.ts';
import { fromManagementLogon } from './management.ts';

/**
 * Every shape a sign-in arrives in: Graph v1.0/beta signIn, diagnostic records (SignInLogs,
 * NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, …), Sentinel SigninLogs rows and
 * Management Activity UserLoggedIn/UserLoginFailed records.
 */
export function normalizeSignIn(record: unknown, context: NormalizeContext): SignIn {
  if (!isRecord(record)) throw new InvalidRecordError('sign-in record is not a JSON object');
  if (isManagementRecord(record)) return fromManagementLogon(record, record, context);
  const body = diagnosticBody(record);
  return body === null
    ? fromGraphSignIn(record, record, record, context)
    : fromGraphSignIn(record, body, record, context);
}
