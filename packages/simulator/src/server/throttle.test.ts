import { describe, expect, it } from 'vitest';
import { graphBudgets, Throttle } from './throttle.ts';

const signIns = graphBudgets('signIns');
const devices = graphBudgets('managedDevices');

describe("Microsoft's budgets", () => {
  it('admits 5 reporting requests per 10 s per app per tenant, then says how long to wait', () => {
    const throttle = new Throttle();
    for (let second = 0; second < 5; second += 1) expect(throttle.admit(signIns('t1', 'app'), second * 1_000)).toBe(0);
    expect(throttle.admit(signIns('t1', 'app'), 5_000)).toBe(5_000);
    expect(throttle.admit(signIns('t2', 'app'), 5_000)).toBe(0);
    expect(throttle.admit(signIns('t1', 'other-app'), 5_000)).toBe(0);
    // The window slides: the request made at 0 s leaves it at 10 s.
    expect(throttle.admit(signIns('t1', 'app'), 10_000)).toBe(0);
  });

  it('holds one app to 122 reporting requests per 10 s across all its tenants', () => {
    const throttle = new Throttle();
    let admitted = 0;
    for (let tenant = 0; tenant < 30; tenant += 1)
      for (let call = 0; call < 5; call += 1)
        if (throttle.admit(signIns(`t${tenant}`, 'app'), 1_000) === 0) admitted += 1;
    expect(admitted).toBe(122);
    expect(throttle.admit(signIns('t99', 'app'), 1_000)).toBe(10_000);
  });

  it('gives Intune 2,000 requests per 20 s per app per tenant, and leaves directory reads to the global cap', () => {
    const throttle = new Throttle();
    for (let call = 0; call < 2_000; call += 1) expect(throttle.admit(devices('t1', 'app'), 0)).toBe(0);
    expect(throttle.admit(devices('t1', 'app'), 19_000)).toBe(1_000);
    for (let call = 0; call < 3_000; call += 1) expect(throttle.admit(graphBudgets('users')('t1', 'app'), 0)).toBe(0);
  });

  it('scales every budget, and 0 turns throttling off', () => {
    const doubled = new Throttle(2);
    for (let call = 0; call < 10; call += 1) expect(doubled.admit(signIns('t1', 'app'), 0)).toBe(0);
    expect(doubled.admit(signIns('t1', 'app'), 0)).toBeGreaterThan(0);
    const off = new Throttle(0);
    for (let call = 0; call < 1_000; call += 1) expect(off.admit(signIns('t1', 'app'), 0)).toBe(0);
  });
});
