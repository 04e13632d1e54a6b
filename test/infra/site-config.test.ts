import { Template } from 'aws-cdk-lib/assertions';
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import { writeSiteConfigHooks } from '../../infra/constructs/service-function';
import { readSiteConfig, SITE_CONFIG_FILE } from '../../shared/site-config';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `carepath-${name}-`));

/** A large hospital: 300 care managers over 3 facilities. */
function largeSite(): string {
  const careManagers = Object.fromEntries(
    ['F1', 'F2', 'F3'].map((facility) => [
      facility,
      Array.from({ length: 100 }, (_, i) => ({
        careManagerId: `cm-${facility}-${i}`,
        name: `Care Manager ${facility} Number ${i}`,
        units: ['4W', '5E', 'ICU'],
        maxCaseload: 25,
      })),
    ]),
  );
  const file = path.join(tmp('site'), 'site.json');
  writeFileSync(file, JSON.stringify({ careManagers }));
  return file;
}

describe('configuration that grows with the hospital', () => {
  // Lambda allows 4 KB of environment variables per function, all of them together.
  it('keeps every function’s environment under Lambda’s 4 KB with 300 care managers', () => {
    const { app, stacks } = createApp('dev', tmp('large'), { bundle: false, stageConfigFile: largeSite() });
    app.synth();
    const functions = stacks.flatMap((stack) => Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function')));
    for (const [id, fn] of functions) {
      const variables = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      expect(Object.keys(variables), id).not.toEqual(expect.arrayContaining(['CARE_MANAGER_ROSTER']));
      for (const moved of ['CARE_MANAGER_ROSTER', 'FACILITY_TIME_ZONES', 'FACILITY_HOLIDAYS'])
        expect(variables[moved], `${id} ${moved}`).toBeUndefined();
      // Tokens resolve to ARNs of about 100 characters; their JSON here is longer than that.
      expect(JSON.stringify(variables).length, id).toBeLessThan(4096);
    }
  }, 120_000);

  it('is written into the bundle at synth and read back by the function', () => {
    const outputDir = tmp('bundle');
    const config = {
      careManagers: { F1: [{ careManagerId: 'cm-a', name: 'Avery O\'Neil "Jr" $HOME', units: ['4W'], maxCaseload: 3 }] },
      facilityTimeZones: { F1: 'America/New_York' },
    };
    const hooks = writeSiteConfigHooks(config);
    for (const command of hooks.afterBundling('/input', outputDir)) execSync(command, { stdio: 'pipe' });
    expect(JSON.parse(readFileSync(path.join(outputDir, SITE_CONFIG_FILE), 'utf8'))).toEqual(config);
    expect(readSiteConfig(path.join(outputDir, SITE_CONFIG_FILE))).toEqual({ ...config, facilityHolidays: {}, adtSendingFacilities: {} });
    expect(readSiteConfig(path.join(outputDir, 'absent.json'))).toEqual({
      careManagers: {},
      facilityTimeZones: {},
      facilityHolidays: {},
      adtSendingFacilities: {},
    });
  });
});
