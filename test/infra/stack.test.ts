import { Match, Template } from 'aws-cdk-lib/assertions';
import { API_ROUTES } from '../../infra/routes/all';
import type { Stack } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import { LocalTemplate } from '../../local/template';
import { STATES } from '../../workflows/discharge-planning/definition';
import { workflowDocs } from '../../workflows/write-docs';
import { DISCHARGE_PLANNING_PATHS } from '../../workflows/discharge-planning/paths';
import { FOLLOW_UP_PATHS } from '../../workflows/post-discharge-follow-up/paths';
import { TRANSFER_STATES } from '../../workflows/transfer/definition';
import { GRIEVANCE_STATES } from '../../workflows/grievance/definition';
import { GRIEVANCE_PATHS } from '../../workflows/grievance/paths';
import { TRANSFER_PATHS } from '../../workflows/transfer/paths';
import { ROLES, rolesOf } from '../../shared/domain/access';

const validateAsl = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: unknown[] };

let template: Template;
let local: LocalTemplate;
let synthesizedTo: string;
let stackName: string;
let stacks: Stack[];

beforeAll(() => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'carepath-synth-'));
  const created = createApp('dev', outdir, { bundle: false });
  const { app, stack } = created;
  stacks = created.stacks;
  app.synth();
  synthesizedTo = outdir;
  stackName = stack.stackName;
  // The app's stacks read as one (logical ids are unique across them, as the local stack checks).
  template = Template.fromJSON({
    Resources: Object.assign({}, ...stacks.map((s) => Template.fromStack(s).toJSON().Resources)),
  });
  local = LocalTemplate.load(outdir, stack.stackName, { region: 'us-east-1', accountId: '000000000000' });
}, 120_000);

/** Every state machine definition in the template, with tokens resolved. */
function definitions(): Array<[string, Record<string, any>]> {
  return local.ofType('AWS::StepFunctions::StateMachine').map(([id]) => {
    const props = local.properties(id) as { DefinitionString: string };
    return [id, JSON.parse(props.DefinitionString) as Record<string, any>];
  });
}

/** One state machine's definition, by its physical name's workflow suffix. */
function definitionOf(workflow: string): Record<string, any> {
  const found = local.ofType('AWS::StepFunctions::StateMachine').find(([id]) => local.physicalName(id) === `carepath-dev-${workflow}`);
  if (!found) throw new Error(`No state machine ${workflow}`);
  return JSON.parse((local.properties(found[0]) as { DefinitionString: string }).DefinitionString) as Record<string, any>;
}

/** Where each state can go next: Next, Default, Choice rules, Catch; a Map to its iteration's
 * first state, an iteration's last state to another iteration or on to the Map's Next. */
function transitions(definition: Record<string, any>): Map<string, Set<string>> {
  const next = new Map<string, Set<string>>();
  const link = (from: string, to: string | undefined) => to && (next.get(from) ?? next.set(from, new Set()).get(from)!).add(to);
  const walk = (states: Record<string, any>, after?: string) => {
    for (const [name, state] of Object.entries(states)) {
      link(name, state.Next);
      link(name, state.Default);
      for (const rule of state.Choices ?? []) link(name, rule.Next);
      for (const c of state.Catch ?? []) link(name, c.Next);
      if (after && (state.End || !state.Next)) {
        link(name, after);
        for (const first of Object.keys(states)) link(name, first);
      }
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) {
        link(name, processor.StartAt);
        walk(processor.States, state.Next);
        for (const [, s] of Object.entries(processor.States as Record<string, any>))
          for (const c of s.Catch ?? []) link(c.Next, state.Next);
      }
    }
  };
  walk(definition.States);
  return next;
}

function expectWalkable(definition: Record<string, any>, paths: Record<string, { states: readonly string[] }>) {
  const next = transitions(definition);
  for (const [pathName, { states }] of Object.entries(paths)) {
    expect(states[0], pathName).toBe(definition.StartAt);
    for (let i = 1; i < states.length; i += 1)
      expect([...(next.get(states[i - 1]!) ?? [])], `${pathName}: ${states[i - 1]} → ${states[i]}`).toContain(states[i]);
    expect(definition.States[states.at(-1)!]?.Type ?? 'Task', pathName).toMatch(/Succeed|Fail/);
  }
}

function allStates(definition: Record<string, any>): Array<[string, Record<string, any>]> {
  return Object.entries(definition.States as Record<string, any>).flatMap(([name, state]) => [
    [name, state] as [string, Record<string, any>],
    ...((state.Branches ?? []) as Record<string, any>[]).flatMap(allStates),
    ...(state.Iterator ? allStates(state.Iterator) : []),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
  ]);
}

describe('the care-record table', () => {
  it('is on-demand, encrypted with its own rotating key, point-in-time recoverable and streams new and old images', () => {
    const keyId = Object.entries(template.findResources('AWS::KMS::Key')).find(([, key]) =>
      /care record/.test(key.Properties.Description),
    )?.[0];
    expect(keyId).toBeDefined();
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('care record'), EnableKeyRotation: true });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' }), Match.objectLike({ IndexName: 'gsi2' })],
    });
  });

  it('lets every route function that reads or writes it use its key (the routes stacks import the table with it)', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p.Properties.PolicyDocument));
    const dynamoUsers = policies.filter((doc) => doc.includes('dynamodb:GetItem'));
    expect(dynamoUsers.length).toBeGreaterThan(60);
    expect(dynamoUsers.filter((doc) => !doc.includes('kms:Decrypt'))).toEqual([]);
  });
});

describe('security baseline', () => {
  it('encrypts every log group with the customer-managed, rotating key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(12);
    for (const group of groups) expect(group.Properties.KmsKeyId).toBeDefined();
  });

  // The app in beforeAll synthesized with both packs, so it has no unacknowledged finding.
  // This proves the packs are wired: a new unencrypted queue must fail synth.
  it('fails synth on a new cdk-nag finding (AWS Solutions and HIPAA Security packs)', () => {
    const { app, stack } = createApp('dev', mkdtempSync(path.join(tmpdir(), 'carepath-nag-')), { bundle: false });
    new Queue(stack, 'CarelessQueue', { encryption: QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow(/SQS Queue does not have server-side encryption/);
  }, 120_000);
});

describe('functions', () => {
  it('sweep unplanned inpatients daily from an EventBridge schedule, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'carepath-dev-unplanned-inpatient-sweep',
      ScheduleExpression: 'cron(0 6 * * ? *)',
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([Match.objectLike({ IndexName: 'gsi2', Projection: { ProjectionType: 'KEYS_ONLY' } })]),
    });
  });

  it('each log to a group of their own (named by CloudFormation; see test/infra/log-groups.test.ts)', () => {
    const groups = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(groups).toContain(fn.Properties.LoggingConfig.LogGroup.Ref);
    }
  });

  it('run Node.js 22 on arm64 with tracing', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions).length).toBeGreaterThanOrEqual(10);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    }
  });

  it('react to encounter changes, pending resumes, new transfers and deaths with effects pending only, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: {
        // Generated from the reactions table (shared/stream/reactions.ts), written out here so a change of what the stream reacts to is a visible diff.
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { entityType: { S: ['Encounter', 'Transfer', 'Grievance'] } } },
            }),
          },
          { Pattern: JSON.stringify({ eventName: ['MODIFY'], dynamodb: { NewImage: { entityType: { S: ['Encounter'] } } } }) },
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT', 'MODIFY'],
              dynamodb: { NewImage: { entityType: { S: ['Patient'] }, deathEffects: { S: ['pending'] } } },
            }),
          },
          {
            Pattern: JSON.stringify({
              eventName: ['MODIFY'],
              dynamodb: { NewImage: { entityType: { S: ['CareTask', 'Referral', 'Transfer', 'Grievance'] }, resume: { S: ['pending'] } } },
            }),
          },
        ],
      },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('audit every care-record change (never the trail itself) and publish care events on their own bus', () => {
    const audited = JSON.parse(
      JSON.stringify(
        Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map((m) =>
          m.Properties.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern)),
        ),
      ),
    ) as Array<Array<{ dynamodb: { NewImage?: { entityType: { S: string[] } }; OldImage?: { entityType: { S: string[] } } } }>>;
    const auditFilters = audited.find((filters) => filters.some((f) => f.dynamodb.NewImage?.entityType.S.includes('CarePlan')))!;
    const types = auditFilters[0]!.dynamodb.NewImage!.entityType.S;
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'CareTask', 'CarePlan', 'Alert', 'WorkflowStepRun']));
    expect(types).not.toContain('AuditRecord');
    expect(auditFilters[1]).toMatchObject({ eventName: ['REMOVE'] });
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'carepath-dev-care-events' });
    template.hasResourceProperties('AWS::Events::Archive', { EventPattern: { source: ['carepath.care-record'] } });
    const putEvents = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) =>
        p.Properties.PolicyDocument.Statement.some((st: { Action: string | string[] }) => [st.Action].flat().includes('events:PutEvents')),
      )
      .flatMap((p) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref));
    expect(putEvents).toHaveLength(1);
    expect(putEvents[0]).toMatch(/^AuditAnnounceAndCountChanges/);
  });

  /** The Step Functions actions each function's role may call. */
  function stateActionsOf(functionIdPrefix: string): string[] {
    const roleRef = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(functionIdPrefix))?.[1]
      .Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleRef),
    );
    const actions = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((st: { Action: string | string[] }) => (Array.isArray(st.Action) ? st.Action : [st.Action]))
      .filter((action: string) => action.startsWith('states:'));
    return [...new Set<string>(actions)].sort();
  }

  it('keep Step Functions rights to the functions that need them', () => {
    // Whether the waiting execution still runs, before a completion is recorded (issue 17 item 7).
    expect(stateActionsOf('CompleteTaskFn')).toEqual(['states:DescribeExecution']);
    expect(stateActionsOf('AdmitPatientFn')).toEqual([]);
    expect(stateActionsOf('ReactToRecordChangesFn')).toEqual([
      'states:DescribeExecution',
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
      'states:StartExecution',
      'states:StopExecution',
    ]);
    expect(stateActionsOf('GetEncounterFn')).toEqual(expect.arrayContaining(['states:DescribeExecution', 'states:GetExecutionHistory']));
    expect(stateActionsOf('GetEncounterFn').some((a) => /Start|Stop|SendTask/.test(a))).toBe(false);
  });
});

describe('HTTP API', () => {
  it('checks tokens from the Cognito pool: one client-credentials app client per hospital system, and the care-team app for people', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: Match.anyValue(), Issuer: Match.anyValue() },
    });
    const scope = (name: string) => ({ 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^ApiClientsPoolApi') }, `/${name}`]] });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'demo-ehr-f1',
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [scope('facility.F1'), scope('role.integration-client')],
      GenerateSecret: true,
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'care-team-app',
      AllowedOAuthFlows: ['code'],
      GenerateSecret: false,
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', { Identifier: 'carepath' });
    // People hold their facility and roles as groups: one per facility and one per role.
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup'))
      .map((g) => g.Properties.GroupName)
      .sort();
    expect(groups).toEqual(['facility.F1', 'facility.F2', 'facility.F3', ...ROLES].sort());
  });

  it('tells each route function the roles its route allows (the handler refuses the others)', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables ?? {});
    const allowed = functions.flatMap((variables) => (variables.ALLOWED_ROLES ? [variables.ALLOWED_ROLES as string] : []));
    // One function per handler folder and policy: routes sharing both (get-stay-part's clinical parts) share a function.
    const byFunction = new Map(API_ROUTES.map((route) => [`${route.handler} ${route.access}`, rolesOf(route.access).join(',')]));
    expect(allowed.sort()).toEqual([...byFunction.values()].sort());
  });

  it('keeps thrown error messages out of every function’s traces (they may quote what was sent)', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
      ([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
    );
    expect(functions.length).toBeGreaterThan(90);
    expect(
      functions.filter(([, f]) => f.Properties.Environment.Variables.POWERTOOLS_TRACER_CAPTURE_ERROR !== 'false').map(([id]) => id),
    ).toEqual([]);
  });

  it('has each route function verify tokens itself, against the pool and clients the authorizer accepts', () => {
    const routeFunctions = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((f) => f.Properties.Environment?.Variables ?? {})
      .filter((variables) => variables.ALLOWED_ROLES !== undefined);
    // One function per handler folder and policy (get-stay-part serves the clinical parts' GETs with one).
    expect(routeFunctions).toHaveLength(new Set(API_ROUTES.map((route) => `${route.handler} ${route.access}`)).size);
    const authorizers = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer')).map((a) => a.Properties.JwtConfiguration);
    // The same client ids, in the routes stacks imported from the API stack's exports.
    const clientsOf = (value: unknown) =>
      (JSON.stringify(value).match(/ApiClientsPool[A-Za-z0-9]+/g) ?? []).filter((name) => !name.includes('ProviderURL')).sort();
    const audience = clientsOf(authorizers[0]!.Audience);
    expect(audience.length).toBeGreaterThanOrEqual(2);
    for (const variables of routeFunctions) {
      expect(JSON.stringify(variables.TOKEN_ISSUER)).toMatch(/ApiClientsPool[A-Za-z0-9]*ProviderURL/);
      expect(clientsOf(variables.TOKEN_CLIENT_IDS)).toEqual(audience);
      expect(variables.TOKEN_JWKS).toBeUndefined();
    }
  });

  it.each(['POST /v1/encounters', 'GET /v1/encounters/{id}', 'GET /v1/tasks', 'POST /v1/tasks/{taskId}/complete'])(
    'routes %s to a Lambda proxy integration, for callers with a client token only',
    (routeKey) => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'JWT' });
    },
  );

  // API Gateway documents no character set for HTTP API route paths; '$' is its own marker
  // ($default). A FHIR operation ($everything) is served through a path variable instead.
  it('deploys no route key with a literal $ segment; the FHIR $everything URL is reached through {operation}', () => {
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey as string);
    expect(keys.filter((key) => key.includes('$'))).toEqual([]);
    expect(keys).toContain('GET /v1/fhir/Patient/{id}/{operation}');
  });

  it('has every route of the route tables, each behind the JWT authorizer, and no other', () => {
    const declared = API_ROUTES.map((r) => `${r.method} ${r.routeKeyPath ?? r.path}`);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties as { RouteKey: string; AuthorizationType: string },
    );
    expect(routes.map((r) => r.RouteKey).sort()).toEqual([...declared].sort());
    expect(new Set(declared).size).toBe(declared.length);
    expect(routes.filter((r) => r.AuthorizationType !== 'JWT')).toEqual([]);
  });
});

describe('CloudFormation limits', () => {
  it('keeps every stack well under 500 resources (a route costs seven: split an area before it nears the limit)', () => {
    const counts = stacks.map((stack) => ({
      stack: stack.stackName,
      resources: Object.keys(Template.fromStack(stack).toJSON().Resources).length,
    }));
    expect(counts.filter((c) => c.resources > 450)).toEqual([]);
    expect(counts.length).toBeGreaterThanOrEqual(6);
  });
});

describe('Discharge Planning state machine', () => {
  it('is Standard, traced, and logs without execution data (PHI)', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'carepath-dev-discharge-planning',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { IncludeExecutionData: false, Level: 'ALL' },
    });
  });

  it('can walk every designed path, state by state', () => {
    expectWalkable(definitionOf('discharge-planning'), DISCHARGE_PLANNING_PATHS);
  });
  it('gives every human step a timeout and a catch for it', () => {
    const definition = definitionOf('discharge-planning');
    const human = allStates(definition).filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken'));
    expect(human.map(([name]) => name).sort()).toEqual(
      [
        STATES.awaitAssessment,
        STATES.awaitChoice,
        STATES.awaitProvider,
        STATES.awaitOrder,
        STATES.awaitPharmacist,
        STATES.awaitRequirements,
      ].sort(),
    );
    for (const [name, state] of human) {
      expect(state.TimeoutSeconds).toBeGreaterThan(0);
      if (name === STATES.awaitProvider) {
        // Inside the referral Map a silence is an answer.
        expect(state.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: STATES.providerSilent })]);
        continue;
      }
      // An overdue person-step ends with an operator task; a failing one fails the execution (redrivable).
      expect(state.Catch).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: expect.stringMatching(/^Needs attention: /) }),
      ]);
    }
  });
});

describe('failed executions', () => {
  it('no workflow catches every error: a failing step fails the execution there, so a redrive reruns that step', () => {
    for (const workflow of ['discharge-planning', 'post-discharge-follow-up', 'transfer', 'grievance']) {
      const catchAll = allStates(definitionOf(workflow)).filter(([, s]) =>
        ((s.Catch ?? []) as Array<{ ErrorEquals: string[] }>).some(
          (c) => c.ErrorEquals.includes('States.ALL') || c.ErrorEquals.includes('States.TaskFailed'),
        ),
      );
      // The one exception: a "Needs attention" state that cannot open its task still stops the execution.
      expect(
        catchAll.map(([name]) => name).filter((name) => !name.startsWith('Needs attention: ')),
        workflow,
      ).toEqual([]);
    }
  });

  it('opens an operator task for every failed or timed-out execution of each workflow', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (r) => r.Properties.EventPattern?.source?.[0] === 'aws.states',
    );
    expect(rules).toHaveLength(1);
    const { EventPattern, Targets } = rules[0]!.Properties;
    expect(EventPattern['detail-type']).toEqual(['Step Functions Execution Status Change']);
    expect(EventPattern.detail.status).toEqual(['FAILED', 'TIMED_OUT']);
    expect(EventPattern.detail.stateMachineArn).toHaveLength(4);
    expect(Targets).toEqual([
      expect.objectContaining({ RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 8 }), DeadLetterConfig: expect.anything() }),
    ]);
  });
});

describe('operations', () => {
  /** Every alarm as metric name (with statistic where it matters) → its threshold, all notifying the one topic. */
  function alarms() {
    const found = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const topics = Object.keys(template.findResources('AWS::SNS::Topic'));
    for (const alarm of found) expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(new RegExp(`^(${topics.join('|')})$`)) }]);
    return found.map((a) => `${a.Namespace}/${a.MetricName}${a.ExtendedStatistic ? `:${a.ExtendedStatistic}` : ''}≥${a.Threshold}`).sort();
  }

  it('alarm on failed, timed-out, aborted and stuck executions, dead letters, API 5xx and p99 latency, and DynamoDB throttles', () => {
    expect(alarms()).toEqual(
      [
        // Per state machine: failed, timed out, stuck past its age limit; the aborted ones (metric
        // math, no single metric name) are in test/infra/operations.test.ts.
        ...Array.from({ length: 4 }, () => [
          'AWS/States/ExecutionsFailed≥1',
          'AWS/States/ExecutionsTimedOut≥1',
          'Carepath/ExecutionsOverAgeLimit≥1',
        ]).flat(),
        ...Array.from({ length: 4 }, () => 'undefined/undefined≥1'),
        'AWS/SQS/ApproximateNumberOfMessagesVisible≥1',
        'AWS/ApiGateway/5xx≥5',
        'AWS/ApiGateway/Latency:p99≥2000',
        // The table, then each of its two indexes.
        ...['ReadThrottleEvents', 'WriteThrottleEvents'].flatMap((m) => [
          `AWS/DynamoDB/${m}≥1`,
          `AWS/DynamoDB/${m}≥1`,
          `AWS/DynamoDB/${m}≥1`,
        ]),
        'AWS/Lambda/Throttles≥1',
        'AWS/Lambda/IteratorAge≥300000',
        'AWS/Lambda/IteratorAge≥300000',
        // Stream consumers (2), schedules (4), the failed-execution rule's target: nobody waits on them.
        ...Array.from({ length: 7 }, () => 'AWS/Lambda/Errors≥1'),
      ].sort(),
    );
  });

  it('have one dashboard with the alarms, executions, API, DynamoDB and dead-letter widgets', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard!.Properties.DashboardName).toBe('carepath-dev-operations');
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const title of [
      'Alarms',
      'Discharge planning: executions',
      'Post-discharge follow-up: executions',
      'Transfer: executions',
      'Grievance: executions',
      'Executions: oldest running (seconds)',
      'API: requests and 5xx',
      'API: latency p50 / p99 (ms)',
      'DynamoDB: throttled events',
      'Dead-letter queues: records waiting',
    ]) {
      expect(body).toContain(title);
    }
  });
});

describe('docs/workflows.md', () => {
  it('is generated from the current definitions (run `npm run synth && npm run docs:workflows`)', () => {
    expect(readFileSync('docs/workflows.md', 'utf8')).toBe(workflowDocs(synthesizedTo, stackName));
  });
});

describe('Post-discharge Follow-up state machine', () => {
  it('is Standard, traced, logs without execution data, and is started by discharge planning', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'carepath-dev-post-discharge-follow-up',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { IncludeExecutionData: false, Level: 'ALL' },
    });
    const start = definitionOf('discharge-planning').States[STATES.startFollowUp];
    expect(start.Resource).toMatch(/:states:::states:startExecution$/);
    expect(start.Parameters.StateMachineArn).toMatch(/:stateMachine:carepath-dev-post-discharge-follow-up$/);
  });

  it('can walk every designed path, and waits on no person (its deadlines are Wait states)', () => {
    const definition = definitionOf('post-discharge-follow-up');
    expectWalkable(definition, FOLLOW_UP_PATHS);
    expect(allStates(definition).filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken'))).toEqual([]);
    expect(
      allStates(definition)
        .filter(([, s]) => s.Type === 'Wait')
        .map(([, s]) => s.TimestampPath),
    ).toEqual(['$.followUp.contactDueBy', '$.followUp.visitDueBy', '$.followUp.windowClosesAt']);
  });
});

describe('Transfer state machine', () => {
  it('can walk every designed path; every waiting state has a timeout and goes to the compensation on a cancel', () => {
    const definition = definitionOf('transfer');
    expectWalkable(definition, TRANSFER_PATHS);
    const waiting = allStates(definition).filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken'));
    expect(waiting.map(([name]) => name)).toEqual([
      TRANSFER_STATES.awaitAnswer,
      TRANSFER_STATES.awaitTransport,
      TRANSFER_STATES.awaitArrival,
    ]);
    for (const [name, state] of allStates(definition).filter(
      ([, s]) => s.Type === 'Task' && s.Catch?.some((c: { ErrorEquals: string[] }) => c.ErrorEquals.includes('TransferCancelled')),
    )) {
      expect(state.Catch.find((c: { ErrorEquals: string[] }) => c.ErrorEquals.includes('TransferCancelled')).Next, name).toBe(
        TRANSFER_STATES.compensate,
      );
    }
    for (const [name, state] of waiting) {
      expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
      expect(
        state.Catch.map((c: { ErrorEquals: string[] }) => c.ErrorEquals[0]),
        name,
      ).toEqual(['States.Timeout', 'TransferCancelled']);
    }
  });
});

describe('Grievance state machine', () => {
  it("can walk every designed path; the deadlines are the waits' timeouts, each escalated when it passes", () => {
    const definition = definitionOf('grievance');
    expectWalkable(definition, GRIEVANCE_PATHS);
    expect(definition.States[GRIEVANCE_STATES.awaitAcknowledgement]).toMatchObject({
      TimeoutSecondsPath: '$.grievance.secondsToAcknowledge',
    });
    expect(definition.States[GRIEVANCE_STATES.awaitDecision]).toMatchObject({ TimeoutSecondsPath: '$.progress.secondsToResolve' });
    expect(definition.States[GRIEVANCE_STATES.awaitAcknowledgement].Catch[0]).toMatchObject({
      ErrorEquals: ['States.Timeout'],
      Next: GRIEVANCE_STATES.escalateAcknowledgement,
    });
    expect(definition.States[GRIEVANCE_STATES.awaitDecision].Catch[0]).toMatchObject({
      ErrorEquals: ['States.Timeout'],
      Next: GRIEVANCE_STATES.escalateDecision,
    });
  });
});

describe('every state machine definition', () => {
  it('passes asl-validator', () => {
    for (const [id, definition] of definitions()) {
      const result = validateAsl(structuredClone(definition));
      expect({ id, errors: result.errors }).toEqual({ id, errors: [] });
      expect(result.isValid).toBe(true);
    }
  });

  it('uses only what the local interpreter runs faithfully: JSONPath, no Variables, known resources', () => {
    const forbidden = ['QueryLanguage', 'Arguments', 'Output', 'Assign', 'Items', 'ItemReader', 'ResultWriter'];
    const supported =
      /^arn:aws:(states:::(lambda:invoke(\.waitForTaskToken)?|states:startExecution|dynamodb:(putItem|getItem|updateItem|deleteItem))|lambda:[^:]+:\d+:function:.+)$/;
    for (const [id, definition] of definitions()) {
      expect(definition.QueryLanguage, id).toBeUndefined();
      for (const [name, state] of allStates(definition)) {
        for (const field of forbidden) expect(state[field], `${name}.${field}`).toBeUndefined();
        if (state.Type === 'Task') expect(state.Resource, name).toMatch(supported);
        expect(state.Resource ?? '', name).not.toMatch(/\.sync(:2)?$/);
      }
    }
  });

  // Step Functions matches error names exactly: a misspelt one is never retried (AWS's names for
  // the DynamoDB and Step Functions integrations, as their integration docs list them).
  it('retries only error names that exist, on direct integrations too', () => {
    const known =
      /^(States\.\w+|Lambda\.\w+|Runtime\.\w+|Sandbox\.Timedout|[A-Z]\w+(Error|Exception|Exceeded|Unavailable)|DynamoDB\.(ProvisionedThroughputExceededException|RequestLimitExceeded|ThrottlingException|InternalServerError|AmazonDynamoDBException)|StepFunctions\.(ThrottlingException|ExecutionLimitExceededException|AWSStepFunctionsException))$/;
    for (const [, definition] of definitions()) {
      for (const [name, state] of allStates(definition)) {
        for (const retry of state.Retry ?? []) for (const error of retry.ErrorEquals as string[]) expect(error, name).toMatch(known);
      }
    }
    const dynamoRetries = allStates(definitionOf('discharge-planning'))
      .flatMap(([, s]) => (s.Retry ?? []).flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals))
      .filter((e: string) => e.startsWith('DynamoDB.'));
    expect(dynamoRetries).toContain('DynamoDB.InternalServerError');
    expect(dynamoRetries).not.toContain('DynamoDB.InternalServerErrorException');
  });

  it('retries starting the follow-up when Step Functions throttles it (the discharge is already recorded)', () => {
    const start = definitionOf('discharge-planning').States['Start post-discharge follow-up'];
    expect(start.Retry).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ErrorEquals: expect.arrayContaining(['StepFunctions.ThrottlingException']), JitterStrategy: 'FULL' }),
      ]),
    );
  });

  it('names states for operators: sentence case, under 80 characters, never a construct default', () => {
    for (const [, definition] of definitions()) {
      for (const [name] of allStates(definition)) {
        expect(name.length, name).toBeLessThan(80);
        expect(name, name).toMatch(/^[A-Z][a-z]+ [a-z]/);
        expect(name, name).not.toMatch(/^(Task|LambdaInvoke|Pass|State)\d*$/);
      }
    }
  });
});
