import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from '@nightjar/core';
import { mspConfigSchema, type MspConfig, type SettingsDocument } from '@nightjar/detections';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses a detection settings file: `msps`, by MSP id, each in the format
 * `PUT /v1/settings/detection` takes (presence countries, trusted and
 * anonymiser ranges, rule parameters, suppressions, per tenant or MSP-wide).
 * Errors name the file and the field.
 */
export function parseDetectionSettings(text: string, source: string): SettingsDocument {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError([`${source}: not YAML: ${(error as Error).message}`]);
  }
  const msps = isRecord(document) ? document['msps'] : undefined;
  if (!isRecord(msps) || Object.keys(document as object).some((key) => key !== 'msps'))
    throw new ConfigError([`${source}: expected a mapping with only \`msps\` (MSP id to its detection settings)`]);
  const issues: string[] = [];
  const parsed: Record<string, MspConfig> = {};
  for (const [mspId, settings] of Object.entries(msps)) {
    const result = mspConfigSchema.safeParse(settings);
    if (result.success) parsed[mspId] = result.data as MspConfig;
    else
      for (const issue of result.error.issues)
        issues.push(`${source}: msps.${mspId}.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { msps: parsed };
}

export function readDetectionSettingsFile(path: string): SettingsDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `detection.file (NIGHTJAR_DETECTION_FILE): cannot read ${path}: ${(error as Error).message}`,
    ]);
  }
  return parseDetectionSettings(text, path);
}

/** Each document over the ones before it, MSP by MSP and setting by setting. */
export function layeredSettings(...documents: readonly SettingsDocument[]): SettingsDocument {
  const msps: Record<string, MspConfig> = {};
  for (const document of documents)
    for (const [mspId, msp] of Object.entries(document.msps ?? {})) msps[mspId] = { ...msps[mspId], ...msp };
  return { msps };
}
