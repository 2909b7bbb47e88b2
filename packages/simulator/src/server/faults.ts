import { z } from 'zod';

export const ENDPOINTS = [
  'token',
  'signIns',
  'directoryAudits',
  'users',
  'subscribedSkus',
  'managedDevices',
  'sendMail',
  'management',
  'partnerCenter',
  'slack',
  'telegram',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export const faultSchema = z
  .object({
    /**
     * `lateArrival` is not a per-request fault but a standing condition: every record of a timed
     * collection (sign-ins, audits) becomes visible only `delayMs` after its own time, as Microsoft
     * publishes sign-ins up to hours late (m365-api.md §2.4). It lasts until cleared; `count` does not apply.
     */
    kind: z.enum(['429', '503', 'slow', 'reset', 'expiredSecret', 'lateArrival']),
    /** Absent: every tenant. */
    tenantId: z.string().optional(),
    /** Absent: every endpoint. */
    endpoint: z.enum(ENDPOINTS).optional(),
    /** How many requests it hits before it clears itself; absent: until cleared. */
    count: z.number().int().positive().optional(),
    retryAfterSeconds: z.number().nonnegative().default(1),
    delayMs: z.number().int().nonnegative().default(2_000),
  })
  .strict();
export type Fault = z.infer<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;

/** Faults switched on per tenant and endpoint, consumed request by request. */
export class FaultController {
  #faults: { fault: Fault; remaining: number }[] = [];

  add(input: FaultInput): void {
    const fault = faultSchema.parse(input);
    this.#faults.push({ fault, remaining: fault.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#faults = [];
  }

  list(): Fault[] {
    return this.#faults.map((entry) => entry.fault);
  }

  /** The fault this request meets, if any (and counts it). */
  take(endpoint: Endpoint, tenantId: string | undefined): Fault | undefined {
    const entry = this.#faults.find(
      ({ fault, remaining }) => remaining > 0 && fault.kind !== 'lateArrival' && applies(fault, endpoint, tenantId),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#faults = this.#faults.filter((other) => other !== entry);
    return entry.fault;
  }

  /** How long after its own time a record of this collection becomes visible: 0 unless a lateArrival fault is on. */
  arrivalDelayMs(endpoint: Endpoint, tenantId: string): number {
    let delay = 0;
    for (const { fault } of this.#faults)
      if (fault.kind === 'lateArrival' && applies(fault, endpoint, tenantId)) delay = Math.max(delay, fault.delayMs);
    return delay;
  }
}

function applies(fault: Fault, endpoint: Endpoint, tenantId: string | undefined): boolean {
  return (
    (fault.endpoint === undefined || fault.endpoint === endpoint) &&
    (fault.tenantId === undefined || fault.tenantId === tenantId)
  );
}
