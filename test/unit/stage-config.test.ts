import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStageConfig, parseStageConfig } from '../../infra/config/stage';

/** A hospital's own prod settings, as a site supplies them (CAREPATH_STAGE_CONFIG or -c stageConfig=). */
const SITE_PROD = path.resolve(import.meta.dirname, '../fixtures/site-prod.json');

describe('stage settings', () => {
  it('load for dev, and for prod with a site’s own settings merged over the defaults', () => {
    expect(loadStageConfig('dev').stage).toBe('dev');
    const prod = loadStageConfig('prod', SITE_PROD);
    expect(prod).toMatchObject({
      stage: 'prod',
      retainData: true,
      logRetentionDays: 2557,
      authDomainPrefix: 'mercy-general-carepath',
      facilities: ['MERCY-MAIN'],
    });
    expect(prod.careTeamAppCallbackUrls).toEqual(['https://care-team.mercy-general.org/callback']);
  });

  it('refuse a stage with real data whose sign-in codes could go to plain HTTP or localhost', () => {
    const prod = {
      stage: 'prod',
      prefix: 'carepath-prod',
      retainData: true,
      logRetentionDays: 2557,
      facilities: ['F1'],
      clients: [{ name: 'engine', facility: 'F1' }],
      authDomainPrefix: 'mercy-carepath',
      facilityTimeZones: { F1: 'America/New_York' },
    };
    expect(() => parseStageConfig(prod)).toThrow(/HTTPS callback URLs/);
    expect(() => parseStageConfig({ ...prod, careTeamAppCallbackUrls: ['http://care.mercy.org/callback'] })).toThrow(/HTTPS callback URLs/);
    expect(() => parseStageConfig({ ...prod, careTeamAppCallbackUrls: ['https://localhost:5173/callback'] })).toThrow(
      /HTTPS callback URLs/,
    );
    expect(parseStageConfig({ ...prod, careTeamAppCallbackUrls: ['https://care.mercy.org/callback'] }).careTeamAppCallbackUrls).toEqual([
      'https://care.mercy.org/callback',
    ]);
  });

  // Prod as shipped would deploy a callback on a reserved .example domain, a Cognito domain prefix
  // every other site of this repository also asks for (they are globally unique per region), and a
  // made-up client: a stage that keeps data refuses them at synth, in one line naming each.
  it('refuse prod as shipped, in one line naming every placeholder to replace and how', () => {
    let message = '';
    try {
      loadStageConfig('prod');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/placeholder/);
    for (const named of ['careTeamAppCallbackUrls', 'authDomainPrefix', 'clients', 'CAREPATH_STAGE_CONFIG'])
      expect(message).toContain(named);
  });

  it.each([
    ['careTeamAppCallbackUrls', { careTeamAppCallbackUrls: ['https://care-team.hospital.example/callback'] }],
    ['careTeamAppCallbackUrls', { careTeamAppCallbackUrls: ['https://care.example.com/callback'] }],
    ['authDomainPrefix', { authDomainPrefix: 'carepath-prod-auth' }],
    ['clients', { clients: [{ name: 'interface-engine', facility: 'MERCY-MAIN' }] }],
  ])('refuse a placeholder %s where data is kept', (named, override) => {
    const site = { ...loadStageConfig('prod', SITE_PROD), ...override };
    expect(() => parseStageConfig(site)).toThrow(new RegExp(`placeholder.*${named}`));
    expect(() => parseStageConfig({ ...site, stage: 'dev', prefix: 'carepath-dev', retainData: false })).not.toThrow();
  });

  it('need every facility’s IANA time zone: its clinical days are its own', () => {
    const site = loadStageConfig('prod', SITE_PROD);
    expect(() => parseStageConfig({ ...site, facilities: ['MERCY-MAIN', 'MERCY-EAST'] })).toThrow(
      /facilityTimeZones: every facility needs its IANA time zone/,
    );
    expect(() => parseStageConfig({ ...site, facilityTimeZones: { 'MERCY-MAIN': 'America/Chicgo' } })).toThrow(/not an IANA time zone/);
    expect(
      parseStageConfig({
        ...site,
        facilities: ['MERCY-MAIN', 'MERCY-EAST'],
        facilityTimeZones: { 'MERCY-MAIN': 'America/Chicago', 'MERCY-EAST': 'Australia/Sydney' },
      }).facilityTimeZones['MERCY-EAST'],
    ).toBe('Australia/Sydney');
  });

  it('let the care-team app’s origins call the API: those of its callbacks unless listed, HTTPS where data is kept', () => {
    expect(loadStageConfig('dev').careTeamAppOrigins).toEqual(['http://localhost:5173']);
    const site = loadStageConfig('prod', SITE_PROD);
    expect(site.careTeamAppOrigins).toEqual(['https://care-team.mercy-general.org']);
    expect(parseStageConfig({ ...site, careTeamAppOrigins: ['https://app.mercy-general.org'] }).careTeamAppOrigins).toEqual([
      'https://app.mercy-general.org',
    ]);
    expect(() => parseStageConfig({ ...site, careTeamAppOrigins: ['http://localhost:5173'] })).toThrow(/careTeamAppOrigins/);
    expect(() => parseStageConfig({ ...site, careTeamAppOrigins: ['https://app.mercy-general.org/callback'] })).toThrow(
      /careTeamAppOrigins.*origin/,
    );
  });

  it('read a site file given by path and say which file is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'carepath-site-'));
    const broken = path.join(dir, 'site.json');
    writeFileSync(broken, '{ "facilities": [] }');
    expect(() => loadStageConfig('prod', broken)).toThrow(/site\.json.*facilities/);
    expect(() => loadStageConfig('prod', path.join(dir, 'missing.json'))).toThrow(/missing\.json/);
  });
});
