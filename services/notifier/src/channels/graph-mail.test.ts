import { Secret } from '@nightjar/core';
import { createMicrosoftHttp, createTokenProvider, type AppCredentials, type MicrosoftHttp } from '@nightjar/m365';
import { createWorld, startSimulator, type RunningSimulator, type SimTenant } from '@nightjar/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, type Channel } from './channel.ts';
import { alertView, HOSTILE_SUMMARY, manyAlerts, notificationOf } from './fixtures.ts';
import { createGraphMailChannel } from './graph-mail.ts';
import { simAdmin, type SimAdmin } from './sim-admin.ts';

interface CapturedMail {
  tenantId: string;
  from: string;
  message: {
    subject: string;
    body: { contentType: string; content: string };
    toRecipients: { emailAddress: { address: string } }[];
    internetMessageHeaders: { name: string; value: string }[];
  };
}

let sim: RunningSimulator;
let admin: SimAdmin;
let http: MicrosoftHttp;
let tenant: SimTenant;
let credentials: AppCredentials;

beforeAll(async () => {
  const world = createWorld({ seed: 1, tenants: 1, days: 1, scenarios: 'none' });
  sim = await startSimulator({ world });
  admin = simAdmin(sim);
  http = createMicrosoftHttp({ caCertPem: sim.caCertPem });
  tenant = world.tenants()[0]!;
  credentials = {
    tenantId: tenant.id,
    clientId: tenant.credentials.clientId,
    clientSecret: new Secret(tenant.credentials.clientSecret),
  };
});
afterEach(async () => admin.clearFaults());
afterAll(async () => {
  await http.close();
  await admin.close();
  await sim.close();
});

/** A fresh token cache each time, so a fault on the token endpoint is met. */
function mailChannel(to: readonly string[] = ['soc@msp.example', 'oncall@msp.example']): Channel {
  const tokens = createTokenProvider(
    {
      authority: sim.urls.authority,
      graph: sim.urls.graph,
      management: sim.urls.management,
      partnerCenter: sim.urls.partnerCenter,
    },
    http,
  );
  return createGraphMailChannel({
    graphUrl: sim.urls.graph,
    from: `soc@${tenant.domain}`,
    to,
    credentials,
    tokens,
    http,
  });
}

async function mailFor(id: string): Promise<CapturedMail[]> {
  return (await admin.captured<CapturedMail>('mail')).filter((mail) =>
    mail.message.internetMessageHeaders.some(
      (header) => header.name === 'X-Nightjar-Notification' && header.value === id,
    ),
  );
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const delivery = error as DeliveryError;
  expect(delivery.message).not.toContain(tenant.credentials.clientSecret);
  return delivery;
}

describe('Graph mail channel', () => {
  it('sends one HTML mail with the alert facts, escaped, to every recipient', async () => {
    const notification = notificationOf([alertView({ summary: HOSTILE_SUMMARY })]);
    const receipt = await mailChannel().send(notification);
    expect(receipt.status).toBe(202);
    expect(receipt.response).toMatch(/^accepted/);

    const mails = await mailFor(notification.id);
    expect(mails).toHaveLength(1);
    const { from, message, tenantId } = mails[0]!;
    expect(tenantId).toBe(tenant.id);
    expect(from).toBe(`soc@${tenant.domain}`);
    expect(message.subject).toBe('[Nightjar] HIGH AUTH-005 Password spray');
    expect(message.toRecipients.map((recipient) => recipient.emailAddress.address)).toEqual([
      'soc@msp.example',
      'oncall@msp.example',
    ]);
    expect(message.body.contentType).toBe('HTML');
    const html = message.body.content;
    for (const fact of [
      'AUTH-005',
      'Password spray',
      'user alice@contoso.example',
      '2025-05-01T10:09:30Z',
      '203.0.113.7',
    ]) {
      expect(html).toContain(fact);
    }
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<a href="https://nightjar.example/api/alerts/0001">');
  });

  it('sends a group of 1,000 alerts as one table', async () => {
    const notification = notificationOf(manyAlerts(1000), { update: true });
    await mailChannel().send(notification);
    const [mail] = await mailFor(notification.id);
    expect(mail!.message.subject).toBe('[Nightjar] Update: CRITICAL 1000 alerts for Contoso MSP');
    expect(mail!.message.body.content.match(/<tr valign="top"( style="[^"]*")?><td style/g)).toHaveLength(1000);
  });

  it('turns throttling into a retryable error with Retry-After', async () => {
    await admin.fault({ kind: '429', endpoint: 'sendMail', count: 1, retryAfterSeconds: 12 });
    const error = await failure(mailChannel().send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: false, retryAfterMs: 12_000, status: 429 });
  });

  it('turns 503 into a retryable error', async () => {
    await admin.fault({ kind: '503', endpoint: 'sendMail', count: 1, retryAfterSeconds: 3 });
    const error = await failure(mailChannel().send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: false, retryAfterMs: 3000, status: 503 });
  });

  it('turns an expired client secret into a permanent error that says so', async () => {
    await admin.fault({ kind: 'expiredSecret', tenantId: tenant.id });
    const error = await failure(mailChannel().send(notificationOf([alertView()])));
    expect(error.permanent).toBe(true);
    expect(error.message).toContain('client secret has expired');
  });

  it('turns a wrong client secret into a permanent error without the secret', async () => {
    const tokens = createTokenProvider(
      {
        authority: sim.urls.authority,
        graph: sim.urls.graph,
        management: sim.urls.management,
        partnerCenter: sim.urls.partnerCenter,
      },
      http,
    );
    const channel = createGraphMailChannel({
      graphUrl: sim.urls.graph,
      from: `soc@${tenant.domain}`,
      to: ['soc@msp.example'],
      credentials: { ...credentials, clientSecret: new Secret('wrong-secret-value') },
      tokens,
      http,
    });
    const error = await failure(channel.send(notificationOf([alertView()])));
    expect(error.permanent).toBe(true);
    expect(error.message).not.toContain('wrong-secret-value');
  });
});
