import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@nightjar/core';
import { createMicrosoftHttp, type MicrosoftHttp } from '@nightjar/m365';
import { renderDigest } from '../digest/render-digest.ts';
import { createGraphMailChannel } from './graph-mail.ts';

// The simulator's sendMail takes only Graph's JSON message, so a stand-in
// Graph receives the MIME form of a digest here.
let graph: Server;
let http: MicrosoftHttp;
const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  graph = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ url: request.url ?? '', headers: request.headers, body });
      response.writeHead(202, { 'request-id': 'req-1' }).end();
    });
  });
  graph.listen(0, '127.0.0.1');
  await once(graph, 'listening');
  http = createMicrosoftHttp();
});
afterAll(async () => {
  await http.close();
  await new Promise((resolve) => graph.close(resolve));
});

describe('a digest through Graph mail', () => {
  it('is one MIME message with a plain-text and an HTML part, base64 as Graph sendMail takes it', async () => {
    const document = renderDigest(
      {
        mspId: 'msp-1',
        tenantId: null,
        from: Date.parse('2026-12-02T00:00:00Z'),
        to: Date.parse('2026-12-03T00:00:00Z'),
        alertsBySeverity: { high: 2, medium: 1 },
        topRules: [{ ruleId: 'AUTH-005', ruleName: 'Password spray <from> "outside"', alerts: 2 }],
        topUsers: [{ name: 'adele.vance@contoso.example', alerts: 2 }],
        topIps: [{ ip: '203.0.113.9', alerts: 2 }],
        nonCompliantDevices: [],
        nonCompliantTotal: 0,
        subscriptionsAtRisk: [],
      },
      'Contoso MSP',
      '2026-12-02',
    );
    const channel = createGraphMailChannel({
      graphUrl: `http://127.0.0.1:${(graph.address() as AddressInfo).port}`,
      from: 'soc@contoso-msp.example',
      to: ['it@fabrikam.example', 'soc@contoso-msp.example'],
      credentials: { tenantId: 'tenant-1', clientId: 'client-1', clientSecret: new Secret('client-secret') },
      tokens: { token: async () => 'graph-token' },
      http,
    });
    const receipt = await channel.sendDocument(document);
    expect(receipt).toEqual({ status: 202, response: 'accepted, request-id req-1' });

    const [request] = received;
    expect(request?.url).toBe('/v1.0/users/soc%40contoso-msp.example/sendMail');
    expect(request?.headers['content-type']).toBe('text/plain');
    expect(request?.headers.authorization).toBe('Bearer graph-token');
    const raw = Buffer.from(request!.body, 'base64').toString('utf8');
    expect(raw).toMatch(/content-type: multipart\/alternative/i);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(document.subject);
    expect(mail.text?.trim()).toBe(document.text.trim());
    expect(mail.html).toContain('Password spray &lt;from&gt;');
    expect(mail.to).toMatchObject({ text: 'it@fabrikam.example, soc@contoso-msp.example' });
    expect(mail.headers.get('x-nightjar-notification')).toBe('digest/msp-1/all/2026-12-02');
    expect(mail.messageId).toMatch(/@contoso-msp\.example>$/);
  });
});
