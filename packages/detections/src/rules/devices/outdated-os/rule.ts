import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { HOUR, deviceLabel, deviceUsers } from '../shared.ts';

const params = z.object({
  /**
   * Lowest acceptable version per operating system (as Intune names it, case-insensitive).
   * Windows 10.0.22000 is Windows 11: Windows 10 22H2 left support on 14 Oct 2025.
   */
  minimumVersions: z
    .record(z.string(), z.string())
    .default({ Windows: '10.0.22000', iOS: '17.0', iPadOS: '17.0', macOS: '14.0', Android: '13' }),
});

/** Changes that carry a (new) OS version: first sight of the device, or an OS change. */
const CHANGES = new Set(['enrolled', 'os_version']);

/** DEV-003: a device enrolled with, or moved to, an OS version below the tenant's minimum. */
export const outdatedOs = defineRule({
  id: 'DEV-003',
  name: 'Device OS below the minimum version',
  description:
    'An Intune device first seen with, or changed to, an OS version below the per-OS minimum (parameter, e.g. Windows 11 / 10.0.22000, iOS 17). Medium when Intune still marks the device compliant, since then no policy catches it.',
  severity: 'low',
  mitre: ['T1190'],
  reads: ['device-change'],
  params,
  groupWindowMs: 24 * HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (!CHANGES.has(event.change) || !event.os || !event.os_version) return [];
    const os = event.os.toLowerCase();
    const minimum = Object.entries(p.minimumVersions).find(([name]) => name.toLowerCase() === os)?.[1];
    if (!minimum || compareVersions(event.os_version, minimum) >= 0) return [];
    const compliant = event.compliance_state === 'compliant';
    return [
      {
        entity: { type: 'device', id: event.device_uid },
        severity: compliant ? 'medium' : 'low',
        at: event.time,
        summary: `${deviceLabel(event)} runs ${event.os} ${event.os_version}, below the minimum ${minimum}${compliant ? ' yet is marked compliant' : ''}`,
        users: deviceUsers(event),
        details: { os: event.os, version: event.os_version, minimum },
      },
    ];
  },
});

/** Numeric dotted comparison: 10.0.19045.5011 < 10.0.22000; missing parts count as 0. */
export function compareVersions(left: string, right: string): number {
  const parse = (version: string) => version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [a, b] = [parse(left), parse(right)];
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
