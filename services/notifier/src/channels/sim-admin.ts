import type { FaultInput, RunningSimulator } from '@nightjar/simulator';
import { Agent, request } from 'undici';

/** The simulator's admin API as the channel tests use it: what was captured, and faults to switch on. */
export interface SimAdmin {
  captured<T>(channel: 'slack' | 'telegram' | 'mail'): Promise<T[]>;
  fault(fault: FaultInput): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

export function simAdmin(sim: RunningSimulator): SimAdmin {
  const dispatcher = new Agent({ connect: { ca: sim.caCertPem } });
  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const response = await request(`${sim.urls.admin}${path}`, {
      method,
      dispatcher,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300)
      throw new Error(`simulator admin ${method} ${path}: ${response.statusCode} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
  return {
    captured: async <T>(channel: 'slack' | 'telegram' | 'mail') => (await call('GET', `/captured/${channel}`)) as T[],
    fault: async (fault) => {
      await call('POST', '/faults', fault);
    },
    clearFaults: async () => {
      await call('DELETE', '/faults');
    },
    close: () => dispatcher.close(),
  };
}
