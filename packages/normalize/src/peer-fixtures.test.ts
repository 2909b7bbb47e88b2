import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorMessage } from '@nightjar/core';
import type { NormalizeContext } from './context.ts';
import { get, isRecord, text, type Rec } from './fields.ts';
import { detectFeed, type Feed } from './files/detect-feed.ts';
import { readRecords } from './files/read-records.ts';
import { normalizeAuditRecord } from './audit-record.ts';
import { tenantCapabilities } from './capabilities.ts';
import { normalizeManagedDevice } from './device.ts';
import { normalizeDirectoryAudit } from './directory-audit.ts';
import { recordTypeNumber } from './record-types.ts';
import { LOGON_OPERATIONS } from './signin/management.ts';
import { normalizeSignIn } from './signin/normalize.ts';
import { normalizePartnerSubscription } from './subscription.ts';
import { compareWithSekoia } from './peer-expected.ts';
import { peerFixturesDir } from '@nightjar/testkit';

// Read in place: the licences of several peers forbid copying these files into the repository.
const PEER = peerFixturesDir() ?? '';

/** Records the normalizers reject on purpose, each with the reason it is truly malformed for us. */
const REJECTED: readonly { file: RegExp; message: RegExp; reason: string }[] = [
  {
    file: /^panther-analysis\//,
    message: /record has no id$/,
    reason:
      "Panther's hand-written test logs omit properties.id, the record id every Entra record carries and dedup needs",
  },
  {
    file: /^ms-graph-docs\/beta\/signin-list\.response2\.json$/,
    message: /no status\.errorCode/,
    reason: 'doc sample with an empty "status": {} — no outcome to normalize',
  },
  {
    file: /^wazuh\/office365\.ini$/,
    message: /audit record has no Operation/,
    reason:
      'synthetic Wazuh rule tests: most fields are "sanitized" and Operation, required by the common schema, is absent',
  },
];

/** Records of feeds Nightjar does not collect; the reader must still read them. */
const NOT_A_FEED: readonly { file: RegExp; reason: string }[] = [
  { file: /riskdetection|riskyuser|user_risk_detection/, reason: 'Identity Protection risk detections / risky users' },
  { file: /graph_activity/, reason: 'Microsoft Graph activity logs' },
  { file: /microsoft-intune\/|^panther-analysis\/intune_/, reason: 'Intune diagnostic logs (not Graph managedDevice)' },
  { file: /subscribedsku/, reason: 'subscribedSku: input of tenantCapabilities, checked separately' },
  { file: /^panther-analysis\/azure_elevate_user_access_admin/, reason: 'test log without activityDisplayName' },
  { file: /^wazuh\/office365\.ini$/, reason: "Wazuh's own integration events ({actor, tenant_id, subscription_name})" },
];

/** Where SEKOIA's expected output and ours differ on purpose. */
const SEKOIA_DIFFERENCES: readonly { file: RegExp; field: string; reason: string }[] = [
  {
    file: /security_compliance_alert|extra_fields_|mass_download|email_reported\.json|test_cloud_app_security_alert/,
    field: 'user.name',
    reason:
      'UserId of SecurityComplianceAlerts records is the service; SEKOIA lifts the user out of the alert Data, which we keep in fields',
  },
  {
    file: /external_user\.json/,
    field: 'user.name',
    reason: 'UserId keeps its urn:spo:guest# prefix as Microsoft sends it',
  },
  {
    file: /threatintelligence_mail\.json/,
    field: 'source.ip',
    reason: "SEKOIA's source.ip is the mail sender's SenderIp, not a client address; kept in fields",
  },
];

const context: NormalizeContext = { mspId: 'msp-peer', tenantId: 'tenant-peer', source: 'replay.file', ingestTime: 0 };

const NORMALIZERS: Readonly<Record<Feed, (record: unknown, context: NormalizeContext) => unknown>> = {
  signins: normalizeSignIn,
  directory: normalizeDirectoryAudit,
  audit: normalizeAuditRecord,
  devices: normalizeManagedDevice,
  subscriptions: normalizePartnerSubscription,
};

function walk(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    })
    .sort();
}

/** Management records feed the audit topic and, for STS logons and RecordType 8, sign-ins and directory audits too. */
function normalizersFor(record: unknown, feed: Feed): Feed[] {
  if (feed !== 'audit' || !isRecord(record)) return [feed];
  const recordType = recordTypeNumber(get(record, 'RecordType'));
  const operation = text(get(record, 'Operation')) ?? '';
  if (recordType === 15 && LOGON_OPERATIONS.has(operation)) return ['audit', 'signins'];
  if (recordType === 8) return ['audit', 'directory'];
  return ['audit'];
}

interface Outcome {
  file: string;
  location: string;
  feed: Feed;
  event?: Rec;
  error?: string;
}

async function normalizeAll(): Promise<{ outcomes: Outcome[]; readErrors: string[]; unfed: string[] }> {
  const outcomes: Outcome[] = [];
  const readErrors: string[] = [];
  const unfed: string[] = [];
  for (const path of walk(PEER)) {
    const file = relative(PEER, path);
    if (file === 'PROVENANCE.md') continue;
    for await (const item of readRecords(path)) {
      if ('error' in item) {
        readErrors.push(`${item.location}: ${item.error}`);
        continue;
      }
      const feed = detectFeed(item.record);
      if (feed === undefined) {
        unfed.push(file);
        continue;
      }
      for (const as of normalizersFor(item.record, feed)) {
        try {
          outcomes.push({
            file,
            location: item.location,
            feed: as,
            event: NORMALIZERS[as](item.record, context) as Rec,
          });
        } catch (error) {
          outcomes.push({ file, location: item.location, feed: as, error: errorMessage(error) });
        }
      }
    }
  }
  return { outcomes, readErrors, unfed };
}

describe.skipIf(!PEER)(
  'peer fixtures, read in place (set NIGHTJAR_PEER_FIXTURES where they are elsewhere)',
  async () => {
    const { outcomes, readErrors, unfed } = await normalizeAll();

    it('reads every file without a read error', () => {
      expect(readErrors).toEqual([]);
      expect(outcomes.length).toBeGreaterThan(1900);
    });

    it('rejects no record except the listed, truly malformed ones', () => {
      const unexpected = outcomes
        .filter((outcome) => outcome.error !== undefined)
        .filter(
          (outcome) => !REJECTED.some((rule) => rule.file.test(outcome.file) && rule.message.test(outcome.error ?? '')),
        )
        .map((outcome) => `${outcome.location} (${outcome.feed}): ${outcome.error}`);
      expect(unexpected).toEqual([]);
    });

    it('leaves only records of feeds Nightjar does not collect without a feed', () => {
      const unexplained = unfed.filter((file) => !NOT_A_FEED.some((rule) => rule.file.test(file)));
      expect(unexplained).toEqual([]);
    });

    it('covers every feed the peers publish', () => {
      const fed = new Set(outcomes.filter((outcome) => outcome.event !== undefined).map((outcome) => outcome.feed));
      expect([...fed].sort()).toEqual(['audit', 'devices', 'directory', 'signins']);
    });

    it('agrees with the fields SEKOIA expects (IP, user, outcome, country)', () => {
      const mismatches: string[] = [];
      for (const outcome of outcomes) {
        if (outcome.event === undefined || !outcome.file.startsWith('sekoia-intake-formats/')) continue;
        const expected = (JSON.parse(readFileSync(join(PEER, outcome.file), 'utf8')) as { expected?: Rec }).expected;
        if (expected === undefined) continue;
        mismatches.push(...compareWithSekoia(outcome.file, outcome.feed, outcome.event, expected));
      }
      const unexplained = mismatches.filter(
        (line) => !SEKOIA_DIFFERENCES.some((known) => known.file.test(line) && line.includes(` ${known.field}=`)),
      );
      expect(unexplained).toEqual([]);
      expect(mismatches.length).toBeLessThanOrEqual(13);
    });

    it('derives capabilities from every subscribedSku sample', async () => {
      for (const path of walk(PEER).filter((file) => file.includes('subscribedsku'))) {
        const skus: unknown[] = [];
        for await (const item of readRecords(path)) if ('record' in item) skus.push(item.record);
        const capabilities = tenantCapabilities(skus, context);
        expect(capabilities.map((capability) => capability.feed)).toContain('signins');
      }
    });
  },
);
