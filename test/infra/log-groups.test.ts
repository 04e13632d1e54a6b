import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';

/** Prod refuses its placeholders: it is synthesized with a site's own settings, as a hospital would. */
const SITE_PROD = path.resolve(import.meta.dirname, '../fixtures/site-prod.json');

type LogGroup = { Properties: { LogGroupName?: unknown; RetentionInDays?: number }; DeletionPolicy?: string; UpdateReplacePolicy?: string };

function logGroups(stage: 'dev' | 'prod'): Array<[string, LogGroup]> {
  const { app, stacks } = createApp(stage, mkdtempSync(path.join(tmpdir(), `carepath-logs-${stage}-`)), {
    bundle: false,
    stageConfigFile: stage === 'prod' ? SITE_PROD : undefined,
  });
  app.synth();
  return stacks.flatMap(
    (stack) => Object.entries(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')) as Array<[string, LogGroup]>,
  );
}

// A log group kept after its stack is gone, under a name the next deployment asks for again, fails
// that deployment ("already exists"): a destroy-then-deploy, or a retry after a failed first create.
describe('log groups', () => {
  it('in dev are deleted with their stack, and only the execution logs have a fixed name (under /aws/vendedlogs/)', () => {
    const groups = logGroups('dev');
    expect(groups.length).toBeGreaterThan(100);
    expect(groups.filter(([, g]) => g.DeletionPolicy !== 'Delete' || g.UpdateReplacePolicy !== 'Delete').map(([id]) => id)).toEqual([]);
    // Step Functions asks for the prefix: log groups under it stay out of the account's 5,120-character
    // CloudWatch Logs resource policy. Deleted with the stack, their names come back free.
    const named = groups.filter(([, g]) => g.Properties.LogGroupName !== undefined).map(([, g]) => g.Properties.LogGroupName);
    expect(named).toHaveLength(4);
    for (const name of named) expect(name).toMatch(/^\/aws\/vendedlogs\/states\/carepath-dev-/);
  }, 120_000);

  it('in prod are kept (six years of logs), with the stage retention', () => {
    const groups = logGroups('prod');
    expect(groups.filter(([, g]) => g.DeletionPolicy !== 'Retain').map(([id]) => id)).toEqual([]);
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBe(2557);
  }, 120_000);
});
