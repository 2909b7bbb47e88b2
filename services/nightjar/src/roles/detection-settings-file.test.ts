import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nightjar/core';
import { layeredSettings, parseDetectionSettings, readDetectionSettingsFile } from './detection-settings-file.ts';

const FILE = `
msps:
  msp-a:
    highRiskCountries: [KP]
    tenants:
      tenant-1:
        presenceCountries: [ZA, GB]
        trustedCidrs: [203.0.113.0/24]
`;

describe('detection settings file', () => {
  it('reads each MSP in the format the API takes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightjar-detection-'));
    const path = join(dir, 'detection.yaml');
    writeFileSync(path, FILE);
    expect(readDetectionSettingsFile(path)).toEqual({
      msps: {
        'msp-a': {
          highRiskCountries: ['KP'],
          tenants: { 'tenant-1': { presenceCountries: ['ZA', 'GB'], trustedCidrs: ['203.0.113.0/24'] } },
        },
      },
    });
  });

  it('names the file and the field of every setting that does not validate', () => {
    const bad = `msps:\n  msp-a:\n    trustedCidrs: [not-a-range]\n    tenants:\n      t1:\n        presenceCountries: [Narnia]\n`;
    const error = (() => {
      try {
        parseDetectionSettings(bad, 'detection.yaml');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues).toHaveLength(2);
    expect(issues[0]).toBe('detection.yaml: msps.msp-a.trustedCidrs: not an IP range: not-a-range');
    expect(issues[1]).toMatch(/^detection\.yaml: msps\.msp-a\.tenants\.t1\.presenceCountries\.0: /);
  });

  it('refuses a file that is not a mapping of msps, and one that cannot be read, naming the setting', () => {
    expect(() => parseDetectionSettings('- just\n- a list\n', 'x.yaml')).toThrow(
      /x\.yaml: expected a mapping with only `msps`/,
    );
    expect(() => parseDetectionSettings('msps: {}\nextra: 1\n', 'x.yaml')).toThrow(/only `msps`/);
    expect(() => readDetectionSettingsFile('/nonexistent/detection.yaml')).toThrow(/NIGHTJAR_DETECTION_FILE/);
  });

  it('lays later documents over earlier ones, setting by setting within an MSP', () => {
    expect(
      layeredSettings(
        {
          msps: { a: { highRiskCountries: ['KP'], trustedCidrs: ['192.0.2.0/24'] }, b: { highRiskCountries: ['IR'] } },
        },
        { msps: { a: { trustedCidrs: ['198.51.100.0/24'] } } },
      ),
    ).toEqual({
      msps: { a: { highRiskCountries: ['KP'], trustedCidrs: ['198.51.100.0/24'] }, b: { highRiskCountries: ['IR'] } },
    });
  });
});
