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
    const statement = (key.Properties.KeyPolicy.Statement as Array<Record<string, any>>).find(
      (s) => s.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
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
    alarms().filter(
      (a) =>
        (a.Namespace === namespace && a.MetricName === metricName) ||
        JSON.stringify(a.Metrics ?? []).includes(`"MetricName":"${metricName}"`),
    );

  it('page on function errors and throttles, stream consumers falling behind, and index throttling', () => {
    // Those nobody waits on: a step's failure is its execution's (alarmed), a route's is a 5xx.
    const errors = onMetric('AWS/Lambda', 'Errors').map((a) => JSON.stringify(a.Dimensions));
    for (const id of [
      'ReactToRecordChanges',
      'AuditAnnounceAndCountChanges',
      'SweepUnplannedInpatients',
      'EscalateOverdueTasks',
      'FlagFailedExecution',
      'CheckStuckExecutions',
      'CheckStayWorkflows',
    ]) {
      expect(
        errors.filter((d) => d.includes(`${id}Fn`)),
        id,
      ).toHaveLength(1);
    }
    expect(errors).toHaveLength(7);
    expect(onMetric('AWS/Lambda', 'Throttles').length).toBeGreaterThanOrEqual(1);
    // One per stream consumer: the workflow trigger and the audit trail.
    expect(onMetric('AWS/Lambda', 'IteratorAge')).toHaveLength(2);
    const gsi = alarms().filter((a) => JSON.stringify(a).includes('GlobalSecondaryIndexName'));
    expect(gsi.length).toBeGreaterThanOrEqual(2);
  });
});

describe('executions', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const machines = () =>
    ofType('AWS::StepFunctions::StateMachine').map(([id, m]) => [id, m.Properties.StateMachineName as string] as const);

  // Carepath stops executions itself on A11 and A13: only the other stops should page.
  it('alarm on aborted executions minus those Carepath stopped itself, per state machine', () => {
    const aborted = alarms().filter((a) => JSON.stringify(a.Metrics ?? []).includes('"MetricName":"ExecutionsAborted"'));
    expect(aborted).toHaveLength(4);
    for (const alarm of aborted) {
      const metrics = alarm.Metrics as Array<Record<string, any>>;
      const routine = metrics.find((m) => m.MetricStat?.Metric?.MetricName === 'ExecutionsStoppedByCarepath');
      expect(routine?.MetricStat.Metric.Namespace).toBe('Carepath');
      expect(routine?.MetricStat.Metric.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'service', Value: 'carepath' },
          { Name: 'workflow', Value: expect.stringMatching(/^carepath-dev-/) },
        ]),
      );
      const expression = metrics.find((m) => m.Expression)!;
      expect(expression.Expression).toMatch(/^\w+ - FILL\(\w+, ?0\)$/);
      expect(alarm.Threshold).toBe(1);
    }
    expect(alarms().filter((a) => a.MetricName === 'ExecutionsAborted')).toEqual([]);
  });

  // ExecutionTime is published when an execution ends: it cannot see one that never does.
  it('find stuck executions by age, hourly, each state machine against its own limit', () => {
    expect(alarms().filter((a) => a.MetricName === 'ExecutionTime')).toEqual([]);
    const [[, rule]] = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.Name === 'carepath-dev-stuck-execution-check') as [
      [string, Resource],
    ];
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 hour)');
    const check = fn('CheckStuckExecutions');
    const watched = JSON.stringify(check.Environment.Variables.WATCHED_STATE_MACHINES);
    for (const [id] of machines()) expect(watched).toContain(id);
    for (const [workflow, days] of [
      ['discharge-planning', 60],
      ['post-discharge-follow-up', 31],
      ['transfer', 7],
      ['grievance', 45],
    ] as const) {
      expect(watched).toContain(`\\"workflow\\":\\"carepath-dev-${workflow}\\"`);
      expect(watched).toContain(`\\"limitSeconds\\":${days * 86_400}`);
      const stuck = alarms().filter(
        (a) => a.MetricName === 'ExecutionsOverAgeLimit' && JSON.stringify(a.Dimensions).includes(`carepath-dev-${workflow}`),
      );
      expect(stuck, workflow).toHaveLength(1);
      expect(stuck[0]).toMatchObject({ Namespace: 'Carepath', Threshold: 1, Statistic: 'Maximum' });
    }
    // Listing only, on the four state machines: no execution data (PHI) is readable.
    const role = check.Role['Fn::GetAtt'][0];
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const states = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('states:')));
    expect([...new Set(states.flatMap((s) => [s.Action].flat()))]).toEqual(['states:ListExecutions']);
    expect(states.flatMap((s) => [s.Resource].flat())).toHaveLength(4);
  });
});
