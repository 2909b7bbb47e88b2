import type { StateStore } from '@nightjar/state';
import { SEVERITY_RANK, type AlertView, type Severity } from './channels/channel.ts';

const REMEMBER_MS = 30 * 24 * 3_600_000;

/** What was last told about an alert, kept in the state store. */
interface Told {
  readonly severity: Severity;
  readonly revision: number;
  readonly at: number;
}

export type Announcement = 'new' | 'update' | 'quiet';

/**
 * One notification per alert, then updates only when its severity rises or,
 * once it has grown, after the MSP's cadence: fifty revisions of one
 * incident make one message, not fifty.
 */
export class AnnouncePolicy {
  readonly #state: StateStore;

  constructor(state: StateStore) {
    this.#state = state;
  }

  async decide(alert: AlertView, cadenceMs: number, now: number): Promise<Announcement> {
    const told = await this.#told(alert.alertId);
    if (!told) return 'new';
    if (alert.revision <= told.revision) return 'quiet';
    if (SEVERITY_RANK[alert.severity] > SEVERITY_RANK[told.severity]) return 'update';
    return now - told.at >= cadenceMs ? 'update' : 'quiet';
  }

  /** Called once every target of the announcement has it (or parked it). */
  async remember(alert: AlertView, now: number): Promise<void> {
    const told: Told = { severity: alert.severity, revision: alert.revision, at: now };
    await this.#state.set(key(alert.alertId), JSON.stringify(told), REMEMBER_MS);
  }

  async #told(alertId: string): Promise<Told | undefined> {
    const raw = await this.#state.get(key(alertId));
    return raw ? (JSON.parse(raw) as Told) : undefined;
  }
}

const key = (alertId: string): string => `notify/told/${alertId}`;
