/**
 * Sign-in outcome from the AADSTS error code (m365-api.md §3). Interrupts are normal steps of a
 * flow (a second factor, a prompt, a device check still pending): detections must not count them
 * as failed passwords. 500121 is not here on purpose: it is the second factor denied or timed out,
 * which MFA-fatigue rules count as a failure.
 */
export const SIGN_IN_INTERRUPT_CODES: ReadonlyMap<number, string> = new Map([
  [50058, 'no single sign-on session yet (silent sign-in, expected)'],
  [50072, 'user must enrol for multifactor authentication'],
  [50074, 'strong authentication required, second factor pending'],
  [50076, 'multifactor authentication required by policy or location'],
  [50079, 'multifactor authentication registration required'],
  [50097, 'device authentication required'],
  [50125, 'password reset or registration interrupt'],
  [50140, '"Keep me signed in" prompt'],
  [50158, 'external security challenge not yet satisfied'],
  [50199, 'user confirmation interrupt'],
  [90095, 'admin consent workflow interrupt'],
]);

export type SignInStatus = 'success' | 'failure' | 'interrupted';

export function signInStatus(code: number): SignInStatus {
  if (code === 0) return 'success';
  return SIGN_IN_INTERRUPT_CODES.has(code) ? 'interrupted' : 'failure';
}
