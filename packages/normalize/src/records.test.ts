import { describe, expect, it } from 'vitest';
import { InvalidRecordError } from '@nightjar/core';
import { normalizeAuditRecord } from './audit-record.ts';
import { normalizeDirectoryAudit } from './directory-audit.ts';
import { normalizeUser } from './user.ts';
import { parseTimeValue } from './time.ts';

const context = { mspId: 'msp-1', tenantId: 'tenant-1', source: 'replay.file', ingestTime: 5_000 };

describe('normalizeDirectoryAudit', () => {
  const graph = {
    id: 'Directory_1',
    category: 'RoleManagement',
    correlationId: 'c-1',
    result: 'success',
    activityDisplayName: 'Add member to role',
    activityDateTime: '2026-03-02T09:00:12.5Z',
    loggedByService: 'Core Directory',
    operationType: 'Assign',
    initiatedBy: { user: { id: 'u-1', userPrincipalName: 'Ana@x.example', ipAddress: '192.0.2.1:443' }, app: null },
    targetResources: [
      {
        id: 't-1',
        displayName: 'Mallory',
        type: 'User',
        userPrincipalName: 'mallory@x.example',
        modifiedProperties: [{ displayName: 'Role.DisplayName', oldValue: null, newValue: '"Global Administrator"' }],
      },
    ],
  };

  it('maps a Graph directoryAudit', () => {
    expect(normalizeDirectoryAudit(graph, context)).toMatchObject({
      event_id: 'Directory_1',
      activity: 'Add member to role',
      result: 'success',
      actor_user_uid: 'u-1',
      actor_user_name: 'ana@x.example',
      actor_ip: '192.0.2.1',
      targets: [
        {
          uid: 't-1',
          user_name: 'mallory@x.example',
          modified_properties: [{ name: 'Role.DisplayName', old_value: null, new_value: '"Global Administrator"' }],
        },
      ],
    });
  });

  it('maps a Management RecordType 8 record and strips the trailing period', () => {
    const record = {
      Id: 'mg-8',
      RecordType: 8,
      CreationTime: '2026-03-02T09:00:12',
      Operation: 'Add member to role.',
      OrganizationId: 'tenant-m',
      ResultStatus: 'Success',
      ObjectId: 'mallory@x.example',
      UserId: 'ana@x.example',
      ModifiedProperties: [{ Name: 'Role.DisplayName', NewValue: 'Global Administrator', OldValue: '' }],
      Actor: [{ ID: 'ana@x.example', Type: 5 }],
      Target: [{ ID: 'mallory@x.example', Type: 5 }],
    };
    const event = normalizeDirectoryAudit(record, context);
    expect(event).toMatchObject({
      activity: 'Add member to role',
      result: 'success',
      actor_user_name: 'ana@x.example',
    });
    expect(event.targets[0]).toMatchObject({ user_name: 'mallory@x.example' });
    expect(event.time).toBe(Date.UTC(2026, 2, 2, 9, 0, 12));
  });

  it.each([
    [{ ...graph, id: undefined }, 'directory audit record has no id'],
    [{ ...graph, result: undefined }, 'directory audit record has no result'],
    [{ ...graph, activityDateTime: 'soon' }, "activityDateTime 'soon' is not a date"],
  ])('rejects malformed records (%#)', (record, message) => {
    expect(() => normalizeDirectoryAudit(record, context)).toThrow(message);
  });
});

describe('normalizeAuditRecord', () => {
  const inboxRule = {
    Id: 'ex-1',
    RecordType: 1,
    CreationTime: '2026-03-02T09:05:41',
    Operation: 'New-InboxRule',
    OrganizationId: 'tenant-m',
    UserType: 0,
    UserKey: '1003',
    Workload: 'Exchange',
    ResultStatus: 'True',
    ObjectId: 'ana\\rule',
    UserId: 'ana@x.example',
    ClientIP: '198.51.100.7:51000',
    Parameters: [{ Name: 'ForwardTo', Value: 'drop@evil.example' }],
  };

  it('types the common schema and JSON-encodes the rest', () => {
    const event = normalizeAuditRecord(inboxRule, context);
    expect(event).toMatchObject({
      content_type: 'Audit.Exchange',
      record_type: 1,
      operation: 'New-InboxRule',
      workload: 'Exchange',
      user_id: 'ana@x.example',
      user_type: 0,
      src_ip: '198.51.100.7',
      result_status: 'True',
      object_id: 'ana\\rule',
    });
    expect(JSON.parse(event.fields.Parameters ?? 'null')).toEqual(inboxRule.Parameters);
    expect(Object.keys(event.fields)).toEqual(['Parameters']);
  });

  it.each([
    [{ RecordType: 15, Workload: 'AzureActiveDirectory' }, 'Audit.AzureActiveDirectory'],
    [{ RecordType: 6, Workload: 'SharePoint' }, 'Audit.SharePoint'],
    [{ RecordType: 13, Workload: 'Exchange', Operation: 'DlpRuleMatch' }, 'DLP.All'],
    [{ RecordType: 25, Workload: 'MicrosoftTeams' }, 'Audit.General'],
  ])('derives the content type of %j', (overrides, contentType) => {
    expect(normalizeAuditRecord({ ...inboxRule, ...overrides }, context).content_type).toBe(contentType);
  });

  it('prefers the content type the context gives, and reads Sentinel OfficeActivity names', () => {
    const row = {
      OfficeId: 'o-1',
      TimeGenerated: '2021-08-02T13:32:07Z',
      RecordType: 'ExchangeItemAggregated',
      Operation: 'MailItemsAccessed',
      UserType: 'Regular',
      OfficeWorkload: 'Exchange',
      UserId: 'p@x.example',
      Client_IPAddress: '1.2.3.4',
    };
    const event = normalizeAuditRecord(row, { ...context, contentType: 'Audit.Exchange' });
    expect(event).toMatchObject({
      event_id: 'o-1',
      record_type: 50,
      user_type: 0,
      workload: 'Exchange',
      src_ip: '1.2.3.4',
    });
  });

  it('rejects a record without Id or Operation', () => {
    expect(() => normalizeAuditRecord({ ...inboxRule, Id: undefined }, context)).toThrow(InvalidRecordError);
    expect(() => normalizeAuditRecord({ ...inboxRule, Operation: '' }, context)).toThrow(
      'audit record has no Operation',
    );
  });
});

describe('normalizeUser', () => {
  const user = {
    id: 'u-1',
    userPrincipalName: 'Ana@X.example',
    displayName: 'Ana',
    accountEnabled: true,
    userType: 'Member',
    assignedLicenses: [
      { skuId: 'sku-b', disabledPlans: [] },
      { skuId: 'sku-a', disabledPlans: [] },
    ],
    createdDateTime: '2024-01-01T00:00:00Z',
    signInActivity: { lastSuccessfulSignInDateTime: '2026-03-01T00:00:00Z' },
  };

  it('maps a user and gives the same state the same id on every poll', () => {
    const first = normalizeUser(user, context);
    expect(first).toMatchObject({ user_name: 'ana@x.example', licence_sku_ids: ['sku-a', 'sku-b'], time: 5_000 });
    expect(normalizeUser(user, { ...context, ingestTime: 9_000 }).event_id).toBe(first.event_id);
    expect(normalizeUser({ ...user, accountEnabled: false }, context).event_id).not.toBe(first.event_id);
  });

  it('asks for accountEnabled when it was not selected', () => {
    expect(() => normalizeUser({ ...user, accountEnabled: undefined }, context)).toThrow('add it to $select');
  });
});

describe('parseTimeValue', () => {
  it.each([
    ['2020-03-13T19:15:41.6195833Z', Date.UTC(2020, 2, 13, 19, 15, 41, 619)],
    ['2015-06-29T20:03:19', Date.UTC(2015, 5, 29, 20, 3, 19)],
    ['2023-07-26 22:58:30.983201900', Date.UTC(2023, 6, 26, 22, 58, 30, 983)],
    ['2015-11-25T06: 41: 12Z', Date.UTC(2015, 10, 25, 6, 41, 12)],
    ['2024-11-27T03:31:26.7088498+00:00', Date.UTC(2024, 10, 27, 3, 31, 26, 708)],
    ['4/26/2021, 7:17:10.000 PM', Date.UTC(2021, 3, 26, 19, 17, 10)],
    ['2023-10-26T5:32:08.107Z', Date.UTC(2023, 9, 26, 5, 32, 8, 107)],
  ])('%s', (text, expected) => {
    expect(parseTimeValue(text)).toBe(expected);
  });
});
