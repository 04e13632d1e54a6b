import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';

type Resource = { Type: string; Properties: Record<string, any> };
let resources: Record<string, Resource>;

beforeAll(() => {
  const { app, stacks } = createApp('dev', mkdtempSync(path.join(tmpdir(), 'carepath-ops-')), { bundle: false });
  app.synth();
  resources = Object.assign({}, ...stacks.map((stack) => Template.fromStack(stack).toJSON().Resources));
}, 120_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const fn = (prefix: string) => {
  const found = ofType('AWS::Lambda::Function').filter(([id]) => new RegExp(`^${prefix}Fn[0-9A-F]{8}$`).test(id));
  expect(found, prefix).toHaveLength(1);
  return found[0]![1].Properties;
};

describe('keys', () => {
  it('name the logs service’s encryption context with the stack’s partition, not a literal aws', () => {
    const [, key] = ofType('AWS::KMS::Key').find(([, k]) => /logs and alerts/.test(k.Properties.Description))!;
    const text = JSON.stringify(key.Properties.KeyPolicy);
    expect(text).not.toContain('arn:aws:logs');
    expect(text).toContain('{"Ref":"AWS::Partition"},":logs:');
  });

  // Without a source condition any account's alarms could have CloudWatch use this key (confused deputy).
  it('let CloudWatch use the alerts key only for this account’s alarms', () => {
    const [, key] = ofType('AWS::KMS::Key').find(([, k]) => /logs and alerts/.test(k.Properties.Description))!;
    const statement = (key.Properties.KeyPolicy.Statement as Array<Record<string, any>>).find((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(statement?.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(statement?.Condition?.ArnLike?.['aws:SourceArn'])).toContain(':cloudwatch:');
    expect(JSON.stringify(statement?.Condition?.ArnLike?.['aws:SourceArn'])).toContain(':alarm:*');
  });
});

describe('sign-in', () => {
  // Phone recovery without SMS configured leaves staff who lost their device with no way back in.
  it('recovers accounts by verified email only (no SMS is configured)', () => {
    const [[, pool]] = ofType('AWS::Cognito::UserPool') as [[string, Resource]];
    expect(pool.Properties.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
  });
});

describe('functions sized for their work', () => {
  it.each([
    ['AuditAnnounceAndCountChanges', 60],
    ['ReactToRecordChanges', 30],
    ['SweepUnplannedInpatients', 300],
    ['EscalateOverdueTasks', 300],
  ])('%s may run %ss or more', (id, seconds) => {
    expect(fn(id).Timeout).toBeGreaterThanOrEqual(seconds);
  });

  // Source maps: 3.25 MB a bundle, and --enable-source-maps makes every Error.stack parse them.
  it('ship no source maps and do not load any on the request path', () => {
    for (const [id, f] of ofType('AWS::Lambda::Function')) {
      expect(String(f.Properties.Environment?.Variables?.NODE_OPTIONS ?? ''), id).not.toContain('--enable-source-maps');
    }
  });
});

describe('alarms', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const onMetric = (namespace: string, metricName: string) =>
    alarms().filter((a) => (a.Namespace === namespace && a.MetricName === metricName) || JSON.stringify(a.Metrics ?? []).includes(`"MetricName":"${metricName}"`));

  it('page on function errors and throttles, stream consumers falling behind, and index throttling', () => {
    expect(onMetric('AWS/Lambda', 'Errors').length).toBeGreaterThanOrEqual(1);
    expect(onMetric('AWS/Lambda', 'Throttles').length).toBeGreaterThanOrEqual(1);
    // One per stream consumer: the workflow trigger and the audit trail.
    expect(onMetric('AWS/Lambda', 'IteratorAge')).toHaveLength(2);
    const gsi = alarms().filter((a) => JSON.stringify(a).includes('GlobalSecondaryIndexName'));
    expect(gsi.length).toBeGreaterThanOrEqual(2);
  });
});
