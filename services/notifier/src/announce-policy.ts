import type { StateStore } from '@nightjar/state';
import { SEVERITY_RANK, type AlertView, type Severity } from './channels/channel.ts';

const REMEMBER_MS = 30 * 24 * 3_600_000;

/** What was last told about an alert, kept in the state store. */
interface Told {
  readonly severity: Severity;
  readonly revision: number;
  readonly at: number;
  /** Targets quiet hours held it back from: they have not been told yet. */
  readonly withheld?: readonly string[];
}

export type Announcement = 'new' | 'update' | 'quiet';

export interface Decision {
  readonly announcement: Announcement;
  /** Targets an earlier revision was held back from by quiet hours; to them an update is news. */
  readonly withheld: ReadonlySet<string>;
  readonly told: Told | undefined;
}

/** Who received this revision and who quiet hours held it back from. */
export interface Reached {
  readonly told: readonly string[];
  readonly held: readonly string[];
}

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

  async decide(alert: AlertView, cadenceMs: number, now: number): Promise<Decision> {
    const told = await this.#told(alert.alertId);
    const decided = (announcement: Announcement): Decision => ({
      announcement,
      withheld: new Set(told?.withheld ?? []),
      told,
    });
    if (!told) return decided('new');
    if (alert.revision <= told.revision) return decided('quiet');
    if (SEVERITY_RANK[alert.severity] > SEVERITY_RANK[told.severity]) return decided('update');
    return decided(now - told.at >= cadenceMs ? 'update' : 'quiet');
  }

  /**
   * Called once every target of the announcement has it (or parked it). A
   * revision quiet hours kept from everyone is not remembered as told, so the
   * next one is announced as new.
   */
  async remember(alert: AlertView, now: number, decision: Decision, reached: Reached): Promise<void> {
    const withheld = [...new Set([...decision.withheld, ...reached.held])].filter(
      (target) => !reached.told.includes(target),
    );
    let told: Told;
    if (reached.told.length === 0 && reached.held.length > 0) {
      if (!decision.told) return;
      told = { ...decision.told, withheld };
    } else {
      told = {
        severity: alert.severity,
        revision: alert.revision,
        at: now,
        ...(withheld.length > 0 ? { withheld } : {}),
      };
    }
    await this.#state.set(key(alert.alertId), JSON.stringify(told), REMEMBER_MS);
  }

  async #told(alertId: string): Promise<Told | undefined> {
    const raw = await this.#state.get(key(alertId));
    return raw ? (JSON.parse(raw) as Told) : undefined;
  }
}

const key = (alertId: string): string => `notify/told/${alertId}`;
