import type { MicrosoftApi } from '@nightjar/m365';
import type { FeedOutput } from '../output.ts';
import type { CollectorTenant } from '../tenants.ts';

export type FeedName =
  | 'signins'
  | 'signins-noninteractive'
  | 'directory-audits'
  | 'users'
  | 'devices'
  | `audit:${string}`
  | 'partner-subscriptions';

export interface FeedStep<C> extends FeedOutput {
  readonly checkpoint: C;
  /** True when the feed has caught up with now; false asks for another step at once (backfill). */
  readonly caughtUp: boolean;
}

/**
 * One kind of data from one tenant, read in bounded steps. A step reads from
 * its checkpoint, returns the events and the next checkpoint, and changes
 * nothing itself: the scheduler commits both together, so a step that fails
 * or a process that dies leaves the checkpoint where it was.
 */
export interface Feed<C = unknown> {
  readonly name: FeedName;
  readonly api: MicrosoftApi;
  /** Pause between polls once caught up. */
  readonly intervalMs: number;
  step(tenant: CollectorTenant, checkpoint: C | undefined, now: number): Promise<FeedStep<C>>;
}
