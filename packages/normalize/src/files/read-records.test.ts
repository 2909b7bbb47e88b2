import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { normalizeAuditRecord } from '../audit-record.ts';
import { normalizeSignIn } from '../signin/normalize.ts';
import { parseCsv } from './csv.ts';
import { detectFeed, type Feed } from './detect-feed.ts';
import { readRecords, type ReadItem } from './read-records.ts';

async function read(text: string, name = 'input.json', hint?: Feed): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of readRecords({ text, name }, hint)) items.push(item);
  return items;
}

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside cells, and CRLF', () => {
    const rows = [...parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\n1,,3')];
    expect(rows).toEqual([
      { cells: ['a', 'b', 'c'], line: 1 },
      { cells: ['x, y', 'say "hi"', 'two\nlines'], line: 2 },
      { cells: ['1', '', '3'], line: 5 },
    ]);
  });

  it('reports a quote that is never closed', () => {
    expect([...parseCsv('a\n"open')].at(-1)).toEqual({
      error: 'quoted cell opened on line 2 is never closed',
      line: 2,
    });
  });
});

describe('readRecords', () => {
  it('reads Graph pages with @odata keys and plain arrays', async () => {
    const page = await read(
      JSON.stringify({ '@odata.context': 'x', '@odata.nextLink': 'y', value: [{ id: 1 }, { id: 2 }] }),
    );
    expect(page.map((item) => ('record' in item ? item.record : item))).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await read('[{"Id":"a"}]')).toEqual([{ record: { Id: 'a' }, location: 'input.json[0]' }]);
    expect(await read('{"records":[{"a":1}]}')).toEqual([{ record: { a: 1 }, location: 'input.json records[0]' }]);
  });

  it('reports a malformed NDJSON line with its number and goes on', async () => {
    const items = await read('{"Id":"a"}\n{"Id": oops}\n\n{"Id":"c"}\n', 'blob.ndjson');
    expect(items).toEqual([
      { record: { Id: 'a' }, location: 'blob.ndjson:1' },
      { error: expect.stringContaining('line 2 is not JSON') as unknown, location: 'blob.ndjson:2' },
      { record: { Id: 'c' }, location: 'blob.ndjson:4' },
    ]);
  });

  it('reads JSON with trailing commas, as in Microsoft doc samples', async () => {
    const items = await read('{\n  "value": [\n    { "id": "a", "policies": [ {"x": 1}, ], },\n  ]\n}');
    expect(items).toEqual([{ record: { id: 'a', policies: [{ x: 1 }] }, location: 'input.json value[0]' }]);
  });

  it('reads records held as JSON strings in SEKOIA test files', async () => {
    const items = await read(JSON.stringify({ input: { message: '{"Id":"s"}' }, expected: {} }));
    expect(items).toEqual([{ record: { Id: 's' }, location: 'input.json input.message' }]);
  });

  it('maps an Entra admin center sign-ins CSV to records the sign-in normalizer takes', async () => {
    const csv = [
      'Date (UTC),Request ID,User,Username,User ID,IP address,Location,Status,Sign-in error code,Failure reason,Client app,Application,Compliant',
      '2026-03-02T08:14:07Z,req-1,"Ruiz, Ana",ana@x.example,u-1,203.0.113.44,"Lagos, Lagos, NG",Failure,50126,"Invalid ""password""",IMAP4,Office 365 Exchange Online,No',
    ].join('\n');
    const items = await read(csv, 'InteractiveSignIns_2026-03-02.csv');
    const record = items[0] !== undefined && 'record' in items[0] ? items[0].record : undefined;
    expect(detectFeed(record)).toBe('signins');
    const event = normalizeSignIn(record, { mspId: 'm', tenantId: 't', source: 'replay.file', ingestTime: 0 });
    expect(event).toMatchObject({
      event_id: 'req-1',
      user_display_name: 'Ruiz, Ana',
      status: 'failure',
      status_code: 50126,
      status_detail: 'Invalid "password"',
      src_country: 'NG',
      is_legacy_auth: true,
      is_interactive: true,
      device_is_compliant: false,
    });
  });

  it('maps a Sentinel OfficeActivity CSV projection, parsing JSON cells', async () => {
    const csv =
      'TimeGenerated,UserId,ClientIP,Operation,Parameters\n2020-04-18T04:50:30Z,a@x.example,1.2.3.4:80,Set-Mailbox,"[{""Name"":""Identity"",""Value"":""a""}]"\n';
    const [item] = await read(csv, 'demo.csv');
    const record = item !== undefined && 'record' in item ? item.record : undefined;
    expect(detectFeed(record)).toBe('audit');
    const event = normalizeAuditRecord(record, { mspId: 'm', tenantId: 't', source: 'replay.file', ingestTime: 0 });
    expect(event).toMatchObject({
      operation: 'Set-Mailbox',
      content_type: 'Audit.Exchange',
      src_ip: '1.2.3.4',
      record_type: -1,
    });
    expect(JSON.parse(event.fields.Parameters ?? 'null')).toEqual([{ Name: 'Identity', Value: 'a' }]);
    const again = await read(csv, 'demo.csv');
    expect(again).toEqual([item]);
  });

  it('reports a CSV row with the wrong number of cells', async () => {
    expect(await read('a,b\n1,2,3\n', 'x.csv')).toEqual([
      { error: 'line 2 has 3 cells, the header has 2', location: 'x.csv:2' },
    ]);
  });

  it('reads a zipped export and a missing file becomes an error item', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightjar-normalize-'));
    const path = join(dir, 'export.zip');
    writeFileSync(path, zipOf('inner.json', '[{"Id":"z"}]'));
    const items: ReadItem[] = [];
    for await (const item of readRecords(path)) items.push(item);
    expect(items).toEqual([{ record: { Id: 'z' }, location: 'export.zip!inner.json[0]' }]);
    const missing: ReadItem[] = [];
    for await (const item of readRecords(join(dir, 'absent.json'))) missing.push(item);
    expect(missing[0]).toMatchObject({ error: expect.stringContaining('cannot read file') as unknown });
  });
});

/** A one-entry deflated zip archive, written by hand so the test needs no zip tool. */
function zipOf(name: string, text: string): Buffer {
  const data = deflateRawSync(Buffer.from(text));
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}
