import { describe, expect, it } from 'vitest';
import { createWorld } from '@nightjar/simulator';
import { evaluate, formatReport } from './eval.ts';

describe('nightjar eval', () => {
  it("scores the engine against the simulator's labels: every scored attack caught, no alert on a near miss", async () => {
    const report = await evaluate(createWorld({ seed: 7, tenants: 5, days: 7, scenarios: 'all' }));
    const recall = (name: string) => report.detections.find((detection) => detection.detection === name)!;
    for (const { detection } of report.detections) {
      expect(recall(detection).labels, detection).toBeGreaterThan(0);
      expect(recall(detection).detected, detection).toBe(recall(detection).labels);
    }
    expect(report.rules.reduce((sum, rule) => sum + rule.onNearMisses, 0)).toBe(0);
    expect(report.rules.find((rule) => rule.rule === 'AUTH-005')).toMatchObject({
      truePositives: 1,
      falsePositives: 0,
    });
    expect(formatReport(report)).toMatch(/overall: recall \d\.\d\d, precision \d\.\d\d/);
  });
});
