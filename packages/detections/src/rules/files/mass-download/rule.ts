import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { HOUR, MINUTE, isGuest } from '../shared.ts';
import { volumeFinding, volumeStep } from '../volume.ts';

const params = z.object({
  minFiles: z.number().int().min(2).default(25),
  windowMs: z
    .number()
    .int()
    .positive()
    .default(5 * MINUTE),
  /** Backup and migration accounts. */
  exemptUsers: z.array(z.string()).default([]),
});

const OPERATIONS = new Set(['FileDownloaded', 'FileSyncDownloadedFull']);

/** SPO-003: one user downloading or syncing many distinct files in minutes. */
export const massDownload = defineRule({
  id: 'SPO-003',
  name: 'Mass file download',
  description:
    'One user downloads or fully syncs at least 25 distinct SharePoint/OneDrive files within 5 minutes (FileDownloaded, FileSyncDownloadedFull). High for guest (#EXT#) accounts; exempt backup or migration accounts per tenant.',
  severity: 'medium',
  mitre: ['T1530', 'T1567'],
  reads: ['audit-record'],
  params,
  groupWindowMs: HOUR,
  plan({ event }, { params: p }) {
    return { files: volumeStep(event, OPERATIONS, p) };
  },
  decide({ event }, results, { params: p }) {
    if (!results.files) return [];
    return volumeFinding(event, results.files.count, 'downloaded', p).map((finding) => ({
      ...finding,
      severity: isGuest(event.user_id) ? 'high' : 'medium',
    }));
  },
});
