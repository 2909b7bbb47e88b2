/**
 * Scenario files: YAML or JSON listing scenario requests, e.g.
 *
 *   scenarios:
 *     - scenario: password-spray
 *       tenantId: 3f0c…        # optional; a seeded pick otherwise
 *       at: 2026-03-01T10:00:00Z  # optional; ISO 8601 or epoch ms
 *       params: { users: 20 }
 *
 * A bare list (without the `scenarios:` key) is accepted too.
 */
import { readFileSync } from 'node:fs';
import { NightjarError } from '@nightjar/core';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ScenarioRequest } from './cloud.ts';
import { scenarioNamed } from './scenarios/index.ts';

const requestSchema = z
  .object({
    scenario: z.string().refine((name) => scenarioNamed(name) !== undefined, { message: 'unknown scenario name' }),
    tenantId: z.string().min(1).optional(),
    at: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    repeat: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

const fileSchema = z.union([z.array(requestSchema), z.object({ scenarios: z.array(requestSchema) }).strict()]);

export function parseScenarios(text: string, source = 'scenario file'): ScenarioRequest[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new NightjarError('NJ_SIM_SCENARIO_FILE_INVALID', `${source} is not valid YAML or JSON`, { cause: error });
  }
  const parsed = fileSchema.safeParse(document);
  if (!parsed.success) {
    throw new NightjarError('NJ_SIM_SCENARIO_FILE_INVALID', `${source}:\n${z.prettifyError(parsed.error)}`);
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.scenarios;
  return entries.flatMap((entry) => {
    const request: ScenarioRequest = {
      scenario: entry.scenario,
      ...(entry.tenantId === undefined ? {} : { tenantId: entry.tenantId }),
      ...(entry.at === undefined ? {} : { at: typeof entry.at === 'number' ? entry.at : Date.parse(entry.at) }),
      ...(entry.params === undefined ? {} : { params: entry.params }),
    };
    return Array.from({ length: entry.repeat ?? 1 }, () => request);
  });
}

export function loadScenarioFile(path: string): ScenarioRequest[] {
  return parseScenarios(readFileSync(path, 'utf8'), path);
}
