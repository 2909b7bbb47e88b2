/** The benchmark's client, in its own process so that its work is not counted as the server's. */
import { Agent, request } from 'undici';

export interface BenchPlan {
  readonly authority: string;
  readonly graph: string;
  readonly caCertPem: string;
  readonly rounds: number;
  readonly tenants: readonly { id: string; clientId: string; clientSecret: string }[];
}

export type BenchReport =
  | { kind: 'round-start'; round: number }
  | { kind: 'round-end'; round: number; records: number; bytes: number }
  | { kind: 'done' };

const report = (message: BenchReport): void => void process.send?.(message);

async function run(plan: BenchPlan): Promise<void> {
  const agent = new Agent({ connect: { ca: plan.caCertPem } });
  const tokens = new Map<string, string>();
  for (const tenant of plan.tenants) {
    const response = await request(`${plan.authority}/${tenant.id}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: tenant.clientId,
        client_secret: tenant.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
      dispatcher: agent,
    });
    tokens.set(tenant.id, ((await response.body.json()) as { access_token: string }).access_token);
  }
  for (let round = 0; round < plan.rounds; round += 1) {
    report({ kind: 'round-start', round });
    let records = 0;
    let bytes = 0;
    for (const tenant of plan.tenants) {
      let next: string | undefined = `${plan.graph}/v1.0/auditLogs/signIns?$top=1000`;
      while (next) {
        const response = await request(next, {
          headers: { authorization: `Bearer ${tokens.get(tenant.id)}` },
          dispatcher: agent,
        });
        const text = await response.body.text();
        const page = JSON.parse(text) as { value?: unknown[]; '@odata.nextLink'?: string };
        if (!Array.isArray(page.value))
          throw new Error(`unexpected answer ${response.statusCode}: ${text.slice(0, 200)}`);
        bytes += text.length;
        records += page.value.length;
        next = page['@odata.nextLink'];
      }
    }
    report({ kind: 'round-end', round, records, bytes });
  }
  report({ kind: 'done' });
  await agent.close();
}

process.once('message', (plan: BenchPlan) => {
  run(plan).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
});
