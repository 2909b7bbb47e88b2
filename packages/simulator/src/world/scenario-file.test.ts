import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorld, loadScenarioFile, parseScenarios } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'nightjar-scenarios-'));

describe('scenario files', () => {
  it('reads YAML with defaults, ISO times, params and repeats, and the world runs it', () => {
    const path = join(dir, 'attacks.yaml');
    writeFileSync(
      path,
      [
        'scenarios:',
        '  - scenario: password-spray',
        '    at: 2026-03-01T10:00:00Z',
        '    params: { users: 14 }',
        '  - scenario: near-miss/internal-forward',
        '    repeat: 2',
      ].join('\n'),
    );
    const requests = loadScenarioFile(path);
    expect(requests).toEqual([
      { scenario: 'password-spray', at: Date.UTC(2026, 2, 1, 10), params: { users: 14 } },
      { scenario: 'near-miss/internal-forward' },
      { scenario: 'near-miss/internal-forward' },
    ]);
    const world = createWorld({ seed: 2, tenants: 2, days: 2 });
    const labels = requests.flatMap((r) => world.inject(r));
    expect(labels.map((l) => [l.scenario, l.expectedDetection, l.nearMiss])).toEqual([
      ['password-spray', 'password-spray', false],
      ['near-miss/internal-forward', null, true],
      ['near-miss/internal-forward', null, true],
    ]);
    expect(labels[0]?.eventIds).toHaveLength(14);
    expect(new Set(labels.map((l) => l.scenarioId)).size).toBe(3);
  });

  it('reads a bare JSON list with epoch times', () => {
    expect(parseScenarios('[{"scenario":"brute-force","at":1772442000000,"tenantId":"t1"}]')).toEqual([
      { scenario: 'brute-force', at: 1772442000000, tenantId: 't1' },
    ]);
  });

  it('names the path of every mistake', () => {
    const text =
      'scenarios:\n  - scenario: no-such-attack\n  - scenario: brute-force\n    at: yesterday\n    colour: red\n';
    expect(() => parseScenarios(text, 'bad.yaml')).toThrow(
      /bad\.yaml[\s\S]*scenarios\[0\]\.scenario|unknown scenario name/,
    );
    expect(() => parseScenarios(text)).toThrow(/colour/);
    expect(() => parseScenarios('scenarios: [')).toThrow(/not valid YAML/);
  });
});
