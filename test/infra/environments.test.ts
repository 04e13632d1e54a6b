import { mkdtempSync, readFileSync } from 'node:fs';
import { DEFAULT_CROSS_STACK_REFERENCES } from 'aws-cdk-lib/cx-api';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';

/** Prod refuses its placeholders: it is synthesized with a site's own settings, as a hospital would. */
const SITE_PROD = path.resolve(import.meta.dirname, '../fixtures/site-prod.json');

const outdir = () => mkdtempSync(path.join(tmpdir(), 'carepath-env-'));

// The CDK CLI always sets CDK_DEFAULT_REGION (and CDK_DEFAULT_ACCOUNT with credentials); `npm run
// synth` through tsx sets neither. ARNs, and so cdk-nag's finding ids, differ between the two:
// both must synthesize with every finding acknowledged.
describe('synth with and without a concrete environment', () => {
  it.each([
    ['dev', { account: '111111111111', region: 'eu-west-1' }],
    ['prod', { account: '111111111111', region: 'eu-west-1' }],
    ['dev', { region: 'us-east-2' }],
    ['dev', {}],
    ['prod', {}],
  ] as const)(
    '%s with env %j has no unacknowledged finding',
    (stage, env) => {
      const { app, stacks } = createApp(stage, outdir(), { bundle: false, env, stageConfigFile: stage === 'prod' ? SITE_PROD : undefined });
      expect(() => app.synth()).not.toThrow();
      if ('region' in env) expect(stacks.every((stack) => stack.region === env.region)).toBe(true);
    },
    120_000,
  );
});

describe('context', () => {
  it('sets the cross-stack reference strength explicitly, the same through the CLI (cdk.json) and tsx (createApp)', () => {
    const cdkJson = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };
    const { app } = createApp('dev', outdir(), { bundle: false });
    expect(cdkJson.context[DEFAULT_CROSS_STACK_REFERENCES]).toBe('strong');
    expect(app.node.tryGetContext(DEFAULT_CROSS_STACK_REFERENCES)).toBe(cdkJson.context[DEFAULT_CROSS_STACK_REFERENCES]);
  });
});

describe('prod', () => {
  it('refuses to synthesize with its placeholders, in one line', () => {
    expect(() => createApp('prod', outdir(), { bundle: false, stageConfigFile: undefined })).toThrow(
      /^Stage prod keeps real data but still has placeholder [^\n]*$/,
    );
  });
});
