import { describe, expect, it } from 'vitest';
import { InvalidRecordError } from '@nightjar/core';
import { normalizeSignIn } from './normalize.ts';

const context = { mspId: 'msp-1', tenantId: 'tenant-1', source: 'graph.signIns.interactive', ingestTime: 1_000 };

function graphSignIn(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'si-1',
    createdDateTime: '2026-03-02T08:14:07.1234567Z',
    userDisplayName: 'Ana Ruiz',
    userPrincipalName: 'Ana@Fabrikam.example',
    userId: 'user-1',
    appId: 'app-1',
    appDisplayName: 'Office 365 Exchange Online',
    ipAddress: '203.0.113.44',
    clientAppUsed: 'IMAP4',
    isInteractive: true,
    status: { errorCode: 50126, failureReason: 'Invalid username or password.', additionalDetails: null },
    deviceDetail: { deviceId: '', operatingSystem: 'Windows', browser: '', isCompliant: null, isManaged: false },
    location: {
      city: 'Lagos',
      state: 'Lagos',
      countryOrRegion: 'NG',
      geoCoordinates: { latitude: 6.45, longitude: 3.39 },
    },
    riskEventTypes_v2: ['unfamiliarFeatures'],
    ...overrides,
  };
}

describe('normalizeSignIn, Graph shape', () => {
  it('maps the fields and keeps the original record', () => {
    const record = graphSignIn();
    const event = normalizeSignIn(record, context);
    expect(event).toMatchObject({
      msp_id: 'msp-1',
      tenant_id: 'tenant-1',
      event_id: 'si-1',
      time: Date.parse('2026-03-02T08:14:07.123Z'),
      ingest_time: 1_000,
      user_uid: 'user-1',
      user_name: 'ana@fabrikam.example',
      status: 'failure',
      status_code: 50126,
      status_detail: 'Invalid username or password.',
      src_ip: '203.0.113.44',
      src_country: 'NG',
      src_city: 'Lagos',
      src_lat: 6.45,
      client_app: 'IMAP4',
      is_legacy_auth: true,
      device_uid: null,
      device_is_managed: false,
      risk_event_types: ['unfamiliarFeatures'],
    });
    expect(JSON.parse(event.raw)).toEqual(record);
  });

  it.each([
    [0, 'success'],
    [50126, 'failure'],
    [500121, 'failure'],
    [50074, 'interrupted'],
    [50076, 'interrupted'],
    [50140, 'interrupted'],
    [50158, 'interrupted'],
  ])('errorCode %i is %s', (errorCode, status) => {
    expect(normalizeSignIn(graphSignIn({ status: { errorCode } }), context).status).toBe(status);
  });

  it.each([
    ['Browser', null, false],
    ['Mobile Apps and Desktop clients', null, false],
    ['Authenticated SMTP', null, true],
    ['Exchange ActiveSync', null, true],
    ['Other clients', null, true],
    ['Browser', 'BAV2ROPC', true],
  ])('client %s with agent %s is legacy: %s', (clientAppUsed, userAgent, legacy) => {
    expect(normalizeSignIn(graphSignIn({ clientAppUsed, userAgent }), context).is_legacy_auth).toBe(legacy);
  });

  it.each([
    ['198.51.100.7:51000', '198.51.100.7'],
    ['[2001:0db8::1]:443', '2001:db8::1'],
    ['[192.0.2.1]:80', '192.0.2.1'],
    ['::ffff:192.0.2.9', '192.0.2.9'],
    ['10.0.0.XXX', '10.0.0.XXX'],
    ['sanitized', null],
  ])('IP %s becomes %s', (ipAddress, expected) => {
    expect(normalizeSignIn(graphSignIn({ ipAddress }), context).src_ip).toBe(expected);
  });

  it('falls back to GeoLite when the record has no location', () => {
    const event = normalizeSignIn(graphSignIn({ ipAddress: '81.2.69.144', location: {} }), context);
    expect(event.src_country).toBe('GB');
    expect(event.src_lat).not.toBeNull();
  });

  it('takes the tenant from the record when the context has none', () => {
    const { tenantId: _, ...withoutTenant } = context;
    expect(normalizeSignIn(graphSignIn({ resourceTenantId: 'tenant-r' }), withoutTenant).tenant_id).toBe('tenant-r');
  });

  it.each([
    [{ id: undefined }, 'sign-in record has no id'],
    [{ createdDateTime: 'x' }, "createdDateTime 'x' is not a date"],
    [{ createdDateTime: undefined }, 'record has no createdDateTime'],
    [{ status: {} }, 'sign-in record has no status.errorCode'],
    [{ status: { errorCode: 'abc' } }, "status.errorCode 'abc' is not a number"],
    [{ userId: undefined, userPrincipalName: undefined }, 'sign-in record has no userId or userPrincipalName'],
  ])('rejects %j: %s', (overrides, message) => {
    const act = (): unknown => normalizeSignIn(graphSignIn(overrides), context);
    expect(act).toThrow(InvalidRecordError);
    expect(act).toThrow(message);
  });

  it('rejects what is not an object, and a record without any tenant', () => {
    expect(() => normalizeSignIn('text', context)).toThrow('sign-in record is not a JSON object');
    const { tenantId: _, ...withoutTenant } = context;
    expect(() => normalizeSignIn(graphSignIn(), withoutTenant)).toThrow('no tenant id');
  });
});

describe('normalizeSignIn, diagnostic and Management shapes', () => {
  it('reads a NonInteractiveUserSignInLogs record from its properties', () => {
    const record = {
      time: '2026-03-02T08:00:00Z',
      category: 'NonInteractiveUserSignInLogs',
      tenantId: 'tenant-d',
      resultType: '0',
      callerIpAddress: '192.0.2.10',
      properties: { ...graphSignIn({ status: { errorCode: 0 } }), isInteractive: undefined },
    };
    const { tenantId: _, ...withoutTenant } = context;
    const event = normalizeSignIn(record, withoutTenant);
    expect(event).toMatchObject({ tenant_id: 'tenant-d', event_id: 'si-1', is_interactive: false, status: 'success' });
  });

  it('reads a Management UserLoginFailed record (CreationTime is UTC without Z)', () => {
    const record = {
      Id: 'mg-1',
      RecordType: 15,
      CreationTime: '2026-03-02T08:14:07',
      Operation: 'UserLoginFailed',
      OrganizationId: 'tenant-m',
      UserKey: 'puid-1',
      UserId: 'Ana@Fabrikam.example',
      ClientIP: '203.0.113.44:5000',
      ErrorNumber: '50126',
      LogonError: 'InvalidUserNameOrPassword',
      ExtendedProperties: [
        { Name: 'UserAgent', Value: 'BAV2ROPC' },
        { Name: 'RequestType', Value: 'OAuth2:Token' },
      ],
      Actor: [
        { ID: '6f1c0000-0000-0000-0000-00000000a001', Type: 0 },
        { ID: 'ana@fabrikam.example', Type: 5 },
      ],
    };
    const { tenantId: _, ...withoutTenant } = context;
    const event = normalizeSignIn(record, withoutTenant);
    expect(event).toMatchObject({
      event_id: 'mg-1',
      tenant_id: 'tenant-m',
      time: Date.UTC(2026, 2, 2, 8, 14, 7),
      user_uid: '6f1c0000-0000-0000-0000-00000000a001',
      user_name: 'ana@fabrikam.example',
      status: 'failure',
      status_code: 50126,
      status_detail: 'InvalidUserNameOrPassword',
      src_ip: '203.0.113.44',
      is_legacy_auth: true,
      is_interactive: false,
    });
  });

  it('refuses a Management record that is not a logon', () => {
    const record = { Id: 'x', RecordType: 1, CreationTime: '2026-03-02T08:14:07', Operation: 'New-InboxRule' };
    expect(() => normalizeSignIn(record, context)).toThrow("operation 'New-InboxRule' is not a sign-in");
  });
});
