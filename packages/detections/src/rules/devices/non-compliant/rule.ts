import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { HOUR, deviceLabel, deviceUsers } from '../shared.ts';

const params = z.object({
  /** States that count as failing; inGracePeriod is not yet a failure. */
  failingStates: z.array(z.string()).default(['noncompliant', 'error']),
  /** High when the device is no longer encrypted. */
  escalateUnencrypted: z.boolean().default(true),
});

/** DEV-001: an Intune device that turned non-compliant between two polls. */
export const nonCompliant = defineRule({
  id: 'DEV-001',
  name: 'Device turned non-compliant',
  description:
    'An Intune managed device whose compliance state changed from a passing state to noncompliant (or error) between two polls; once per transition, since the change feed only reports differences. High when the device is not encrypted.',
  severity: 'medium',
  mitre: ['T1562.001'],
  reads: ['device-change'],
  params,
  groupWindowMs: 24 * HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (event.change !== 'compliance') return [];
    const failing = (state: string | null) => state !== null && p.failingStates.includes(state);
    if (!failing(event.current_value) || failing(event.previous_value)) return [];
    const unencrypted = event.is_encrypted === false;
    return [
      {
        entity: { type: 'device', id: event.device_uid },
        severity: p.escalateUnencrypted && unencrypted ? 'high' : 'medium',
        at: event.time,
        summary: `${deviceLabel(event)} turned ${event.current_value} (was ${event.previous_value ?? 'unknown'})${unencrypted ? '; the disk is not encrypted' : ''}`,
        users: deviceUsers(event),
        details: { previous: event.previous_value ?? 'unknown', current: event.current_value!, os: event.os ?? '' },
      },
    ];
  },
});
