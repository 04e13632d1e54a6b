import { describe, expect, it } from 'vitest';
import { loadStageConfig, parseStageConfig } from '../../infra/config/stage';

describe('stage settings', () => {
  it('load for dev and prod', () => {
    expect(loadStageConfig('dev').stage).toBe('dev');
    expect(loadStageConfig('prod').careTeamAppCallbackUrls.every((url) => url.startsWith('https://'))).toBe(true);
  });

  it('refuse a stage with real data whose sign-in codes could go to plain HTTP or localhost', () => {
    const prod = { stage: 'prod', prefix: 'carepath-prod', retainData: true, logRetentionDays: 2557, facilities: ['F1'], clients: [{ name: 'engine', facility: 'F1' }], authDomainPrefix: 'carepath-prod-auth' };
    expect(() => parseStageConfig(prod)).toThrow(/HTTPS callback URLs/);
    expect(() => parseStageConfig({ ...prod, careTeamAppCallbackUrls: ['http://care.example/callback'] })).toThrow(/HTTPS callback URLs/);
    expect(() => parseStageConfig({ ...prod, careTeamAppCallbackUrls: ['https://localhost:5173/callback'] })).toThrow(/HTTPS callback URLs/);
    expect(parseStageConfig({ ...prod, careTeamAppCallbackUrls: ['https://care.example/callback'] }).careTeamAppCallbackUrls).toEqual(['https://care.example/callback']);
  });
});
