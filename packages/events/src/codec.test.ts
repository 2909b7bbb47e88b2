import { describe, expect, it } from 'vitest';
import { InvalidRecordError } from '@nightjar/core';
import { EVENT_KINDS } from './catalog.ts';
import { decodeSingleObject, encodeSingleObject, fingerprintOf, schemaVersion } from './codec.ts';
import type { SignIn } from './generated/sign-in.ts';

const signIn: SignIn = {
  msp_id: 'msp-1',
  tenant_id: 'b86ab9d4-0000-4b11-8a06-7a8f91b47fbd',
  source: 'graph.signIns.interactive',
  event_id: '0b6c1e2a-5f33-4c1d-9d7e-2a9c0d3f1b00',
  time: Date.UTC(2026, 2, 2, 8, 14, 7, 123),
  ingest_time: Date.UTC(2026, 2, 2, 8, 20, 0),
  user_uid: '6f1c0000-0000-0000-0000-00000000a001',
  user_name: 'ana@fabrikam.example',
  user_display_name: 'Ana Ruiz',
  is_interactive: true,
  status: 'failure',
  status_code: 50126,
  status_detail: 'Error validating credentials due to invalid username or password.',
  app_uid: null,
  app_name: 'Office 365 Exchange Online',
  resource_uid: null,
  resource_name: null,
  src_ip: '203.0.113.44',
  src_country: 'NG',
  src_region: 'Lagos',
  src_city: 'Lagos',
  src_lat: 6.45,
  src_lon: 3.39,
  client_app: 'IMAP4',
  is_legacy_auth: true,
  user_agent: null,
  device_uid: null,
  device_name: null,
  device_os: 'Windows',
  device_browser: null,
  device_is_compliant: null,
  device_is_managed: null,
  device_trust_type: null,
  risk_level_during: 'hidden',
  risk_level_aggregated: 'hidden',
  risk_state: 'none',
  risk_detail: 'hidden',
  risk_event_types: [],
  conditional_access_status: 'notApplied',
  correlation_id: null,
  session_id: null,
  raw: '{"id":"0b6c1e2a-5f33-4c1d-9d7e-2a9c0d3f1b00"}',
};

describe('single-object encoding', () => {
  const current = EVENT_KINDS['sign-in'].schema;

  it('round-trips an event and carries the schema fingerprint after the C3 01 marker', () => {
    const message = encodeSingleObject(current, signIn);
    expect([...message.subarray(0, 2)]).toEqual([0xc3, 0x01]);
    expect(fingerprintOf(message)).toBe(current.fingerprint);
    expect(decodeSingleObject<SignIn>(message, current)).toEqual(signIn);
  });

  it('keeps every message intact across the buffers it is cut from, one larger than a buffer included', () => {
    const values = Array.from({ length: 400 }, (_, n) => ({
      ...signIn,
      event_id: `event-${n}`,
      raw: 'x'.repeat(n === 200 ? 300_000 : (n * 37) % 3_000),
    }));
    const messages = values.map((value) => encodeSingleObject(current, value));
    expect(messages.map((message) => decodeSingleObject<SignIn>(message, current))).toEqual(values);
    for (const [n, message] of messages.entries()) {
      expect(message.equals(Buffer.concat([message.subarray(0, 10), current.type.toBuffer(values[n])]))).toBe(true);
    }
  });

  it('refuses a message that is not single-object encoded, and one written with another schema', () => {
    expect(() => fingerprintOf(Buffer.from('{"id":1}'))).toThrow(InvalidRecordError);
    const other = EVENT_KINDS['directory-audit'].schema;
    expect(() => decodeSingleObject(encodeSingleObject(current, signIn), other)).toThrow(/written with schema/);
  });

  it('refuses an event that does not fit its schema before it reaches the bus', () => {
    expect(() => encodeSingleObject(current, { ...signIn, status_code: 'bad' })).toThrow();
  });

  it('lets a consumer on the current schema read messages of the next version, and the next read the current', () => {
    const schema = JSON.parse(current.canonical) as { fields: object[] };
    const next = schemaVersion({
      ...schema,
      fields: [...schema.fields, { name: 'autonomous_system', type: ['null', 'long'], default: null }],
    } as never);
    expect(next.fingerprint).not.toBe(current.fingerprint);

    const fromNext = encodeSingleObject(next, { ...signIn, autonomous_system: 64500 });
    expect(decodeSingleObject<SignIn>(fromNext, next, current)).toEqual(signIn);

    const fromCurrent = encodeSingleObject(current, signIn);
    expect(decodeSingleObject(fromCurrent, current, next)).toEqual({ ...signIn, autonomous_system: null });
  });

  it('gives every event kind a distinct schema and topic', () => {
    const kinds = Object.values(EVENT_KINDS);
    expect(new Set(kinds.map((kind) => kind.schema.fingerprint)).size).toBe(kinds.length);
    expect(new Set(kinds.map((kind) => kind.topic)).size).toBe(kinds.length);
  });
});
