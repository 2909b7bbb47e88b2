/** Microsoft's timestamp spellings. */

/** Graph sign-ins: seven fractional digits and `Z` (m365-api.md §2.2). The extra digits come from the id so they are stable. */
const scratch = Buffer.alloc(32);

export function isoTicks(at: number, ticks: number): string {
  scratch.write(new Date(at).toISOString(), 0, 'latin1');
  let rest = ticks % 10000;
  for (let i = 26; i >= 23; i--) {
    scratch[i] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  scratch[27] = 90;
  return scratch.toString('latin1', 0, 28);
}

/** Graph resources other than sign-ins: whole seconds and `Z`. */
export function isoSeconds(at: number): string {
  return new Date(at).toISOString().slice(0, 19) + 'Z';
}

/** Management Activity API `CreationTime`: UTC without a zone suffix (m365-api.md §9.1). */
export function creationTime(at: number): string {
  return new Date(at).toISOString().slice(0, 19);
}
