import { describe, expect, it } from 'vitest';
import { createLocalBudget } from './local-budget.ts';

const limits = {
  perTenant: {
    reporting: { requests: 3, perMs: 300 },
    graph: { requests: 100, perMs: 300 },
    management: { requests: 100, perMs: 300 },
    partnerCenter: { requests: 100, perMs: 300 },
  },
  perApp: { reporting: { requests: 4, perMs: 300 } },
};

describe('local request budget', () => {
  it('holds a tenant to its window', async () => {
    const budget = createLocalBudget(limits);
    const began = Date.now();
    for (let index = 0; index < 4; index += 1) await budget.acquire('reporting', 'tenant-a');
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
  });

  it('holds the app to its window across tenants, and leaves other APIs alone', async () => {
    const budget = createLocalBudget(limits);
    const began = Date.now();
    await Promise.all(['a', 'b', 'c', 'd'].map((tenant) => budget.acquire('reporting', tenant)));
    expect(Date.now() - began).toBeLessThan(100);
    await budget.acquire('graph', 'a');
    expect(Date.now() - began).toBeLessThan(100);
    await budget.acquire('reporting', 'e');
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
  });

  it('closes a tenant for the Retry-After of a 429', async () => {
    const budget = createLocalBudget(limits);
    budget.penalize('reporting', 'a', 250);
    const began = Date.now();
    await budget.acquire('reporting', 'b');
    expect(Date.now() - began).toBeLessThan(100);
    await budget.acquire('reporting', 'a');
    expect(Date.now() - began).toBeGreaterThanOrEqual(240);
  });
});
