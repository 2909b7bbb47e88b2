/**
 * Per-tenant record lists kept in time order, with visibility as of a moment:
 * records dated after `now` exist (generated a day at a time, or injected
 * ahead) but are never shown.
 */
import type { ManagementContentType, MicrosoftRecord, SignInKind, TimedAuditRecord } from './cloud.ts';

class TimedList<T> {
  private times: number[] = [];
  private items: T[] = [];
  private sorted = true;
  private cacheCount = -1;
  private cacheView: readonly T[] = [];

  add(at: number, item: T): void {
    const last = this.times[this.times.length - 1];
    if (last !== undefined && at < last) this.sorted = false;
    this.times.push(at);
    this.items.push(item);
    this.cacheCount = -1;
  }

  get size(): number {
    return this.items.length;
  }

  private sort(): void {
    if (this.sorted) return;
    const order = this.times.map((_, i) => i);
    // Stable on ties, so insertion order (and with it the seed) decides equal timestamps.
    order.sort((a, b) => (this.times[a] ?? 0) - (this.times[b] ?? 0) || a - b);
    this.times = order.map((i) => this.times[i] ?? 0);
    this.items = order.map((i) => this.items[i] as T);
    this.sorted = true;
  }

  /** How many items are dated at or before `at`. */
  private countUpTo(at: number): number {
    this.sort();
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] ?? 0) <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  newestFirst(at: number): readonly T[] {
    const count = this.countUpTo(at);
    if (count !== this.cacheCount) {
      this.cacheView = this.items.slice(0, count).reverse();
      this.cacheCount = count;
    }
    return this.cacheView;
  }

  oldestFirst(at: number): readonly T[] {
    const count = this.countUpTo(at);
    if (count !== this.cacheCount) {
      this.cacheView = this.items.slice(0, count);
      this.cacheCount = count;
    }
    return this.cacheView;
  }
}

export const CONTENT_TYPES: readonly ManagementContentType[] = [
  'Audit.AzureActiveDirectory',
  'Audit.Exchange',
  'Audit.SharePoint',
  'Audit.General',
  'DLP.All',
];

export class Store {
  private readonly signIns = {
    interactive: new TimedList<MicrosoftRecord>(),
    nonInteractive: new TimedList<MicrosoftRecord>(),
  };
  private readonly directory = new TimedList<MicrosoftRecord>();
  private readonly audit = new Map<ManagementContentType, TimedList<TimedAuditRecord>>(
    CONTENT_TYPES.map((type) => [type, new TimedList<TimedAuditRecord>()]),
  );

  addSignIn(kind: SignInKind, at: number, record: MicrosoftRecord): void {
    this.signIns[kind].add(at, record);
  }

  addDirectoryAudit(at: number, record: MicrosoftRecord): void {
    this.directory.add(at, record);
  }

  addAuditRecord(type: ManagementContentType, availableAt: number, record: MicrosoftRecord): void {
    this.audit.get(type)?.add(availableAt, { availableAt, record });
  }

  signInsAt(kind: SignInKind, now: number): readonly MicrosoftRecord[] {
    return this.signIns[kind].newestFirst(now);
  }

  directoryAuditsAt(now: number): readonly MicrosoftRecord[] {
    return this.directory.newestFirst(now);
  }

  auditRecordsAt(type: ManagementContentType, now: number): readonly TimedAuditRecord[] {
    return this.audit.get(type)?.oldestFirst(now) ?? [];
  }

  counts(): { signIns: number; directoryAudits: number; auditRecords: number } {
    let auditRecords = 0;
    for (const list of this.audit.values()) auditRecords += list.size;
    return {
      signIns: this.signIns.interactive.size + this.signIns.nonInteractive.size,
      directoryAudits: this.directory.size,
      auditRecords,
    };
  }
}
