import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { DAY, HOUR, deviceLabel, deviceUsers } from '../shared.ts';

const params = z.object({
  /** Company devices only by default: personal devices drift out of management on their own. */
  ownerTypes: z.array(z.string()).default(['company']),
});

/**
 * DEV-002: an Intune device stopped checking in. The device differ emits
 * `stale` once, when the last sync first gets older than the collector's
 * staleness threshold, so this fires once per episode.
 */
export const staleDevice = defineRule({
  id: 'DEV-002',
  name: 'Device stopped checking in',
  description:
    'An Intune managed device whose last sync became older than the staleness threshold (the device differ\'s "stale" change, once per episode). Company-owned devices only by default.',
  severity: 'low',
  mitre: ['T1562.001'],
  reads: ['device-change'],
  params,
  groupWindowMs: 24 * HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (event.change !== 'stale') return [];
    if (event.owner_type !== null && !p.ownerTypes.includes(event.owner_type)) return [];
    const days = event.last_sync_time === null ? null : Math.floor((event.time - event.last_sync_time) / DAY);
    return [
      {
        entity: { type: 'device', id: event.device_uid },
        at: event.time,
        summary: `${deviceLabel(event)} has not checked in${days === null ? '' : ` for ${days} days`}`,
        users: deviceUsers(event),
        details: { days_since_sync: days ?? -1 },
      },
    ];
  },
});
