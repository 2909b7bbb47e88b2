import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { HOUR, MINUTE } from '../shared.ts';
import { volumeFinding, volumeStep } from '../volume.ts';

const params = z.object({
  minFiles: z.number().int().min(2).default(100),
  windowMs: z
    .number()
    .int()
    .positive()
    .default(15 * MINUTE),
  /** Clean-up or migration accounts. */
  exemptUsers: z.array(z.string()).default([]),
});

const OPERATIONS = new Set([
  'FileDeleted',
  'FileDeletedFirstStageRecycleBin',
  'FileDeletedSecondStageRecycleBin',
  'FileRecycled',
]);

/** SPO-004: one user deleting many distinct files in minutes (ransomware, sabotage). */
export const massDeletion = defineRule({
  id: 'SPO-004',
  name: 'Mass file deletion',
  description:
    'One user deletes at least 100 distinct SharePoint/OneDrive files within 15 minutes (FileDeleted and the recycle-bin stages). SharePoint system identities (retention policies) and exempt accounts are left out.',
  severity: 'high',
  mitre: ['T1485', 'T1486'],
  reads: ['audit-record'],
  params,
  groupWindowMs: HOUR,
  plan({ event }, { params: p }) {
    return { files: volumeStep(event, OPERATIONS, p) };
  },
  decide({ event }, results, { params: p }) {
    return results.files ? volumeFinding(event, results.files.count, 'deleted', p) : [];
  },
});
