import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../local/auth';
import { startLocalStack, type LocalStack } from '../../local/stack';
import type { CfnTemplate } from '../../local/template';
import { syntheticAdmission } from '../fixtures/admissions';

/**
 * The local stack refuses what AWS would refuse: each case removes ONE grant from the synthesized
 * template and watches the real call fail with AccessDenied; the same calls on the unmodified
 * template succeed, so the test fails both ways (enforcement off, or enforcement wrong).
 */

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** The logical id CDK gave a construct (`AdmitPatientFn` → `AdmitPatientFn6365DFEF`), whatever its hash. */
function logicalId(template: CfnTemplate, prefix: string, type: string): string {
  const ids = Object.keys(template.Resources).filter(
    (id) => template.Resources[id]!.Type === type && new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id),
  );
  if (ids.length !== 1) throw new Error(`Expected one ${type} ${prefix}…, found ${ids.length}`);
  return ids[0]!;
}

/** The statements of every AWS::IAM::Policy attached to a function's role. */
function statementsOfFunction(
  template: CfnTemplate,
  functionPrefix: string,
): { functionId: string; roleId: string; statements: Statement[] } {
  const functionId = logicalId(template, functionPrefix, 'AWS::Lambda::Function');
  const fn = template.Resources[functionId]!;
  const roleId = (fn.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const statements = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties!.Roles).includes(`"${roleId}"`))
    .flatMap((r) => (r.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
  return { functionId, roleId, statements };
}

function dropAction(statements: Statement[], action: string): void {
  for (const statement of statements) {
    if (Array.isArray(statement.Action)) statement.Action = statement.Action.filter((a) => a !== action);
  }
}

const quiet = { ports: { http: 0, stepFunctions: 0, dynamodb: 0 }, echoFunctionLogs: false, retryIntervalMs: 10 };
const roles: Record<string, string> = {};
const functions: Record<string, string> = {};
let edited: LocalStack;
let unmodified: LocalStack;
const logLines: string[] = [];
let token: string;

beforeAll(async () => {
  token = await mintLocalToken({ facilityId: 'F1', clientId: 'test-ehr-f1' });
  edited = await startLocalStack({
    ...quiet,
    log: (line) => logLines.push(line),
    editTemplate: (template) => {
      // 1. A table grant: the admission function may no longer PutItem.
      const admit = statementsOfFunction(template, 'AdmitPatientFn');
      dropAction(admit.statements, 'dynamodb:PutItem');
      roles.admit = admit.roleId;
      functions.admit = admit.functionId;
      // 2. An index grant: the overdue-task sweep keeps its table grant but loses `table/<t>/index/*`.
      // (A core-stack function: the routes stacks' functions have no index grant to remove yet.)
      const sweep = statementsOfFunction(template, 'EscalateOverdueTasksFn');
      for (const statement of sweep.statements) {
        if (Array.isArray(statement.Resource))
          statement.Resource = statement.Resource.filter((r) => !JSON.stringify(r).includes('/index/*'));
      }
      roles.sweep = sweep.roleId;
      functions.sweep = sweep.functionId;
      // 3. A key grant: reading an encounter loses kms:Decrypt on the table's customer-managed key.
      const read = statementsOfFunction(template, 'GetEncounterFn');
      dropAction(read.statements, 'kms:Decrypt');
      roles.read = read.roleId;
      functions.read = read.functionId;
      // 4. A state machine integration: the grievance workflow's role may no longer invoke its first step.
      const machine = template.Resources[logicalId(template, 'GrievanceStateMachine', 'AWS::StepFunctions::StateMachine')]!;
      const machineRole = (machine.Properties!.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const opener = logicalId(template, 'GrievanceOpenGrievanceFn', 'AWS::Lambda::Function');
      for (const policy of Object.values(template.Resources)) {
        if (policy.Type !== 'AWS::IAM::Policy' || !JSON.stringify(policy.Properties!.Roles).includes(`"${machineRole}"`)) continue;
        const document = policy.Properties!.PolicyDocument as { Statement: Statement[] };
        document.Statement = document.Statement.filter(
          (st) => !(st.Action === 'lambda:InvokeFunction' && JSON.stringify(st.Resource).includes(`"${opener}"`)),
        );
      }
      roles.grievance = machineRole;
      // 5. A state machine's key grant: discharge planning keeps dynamodb:UpdateItem but not the table key
      // (the real defect of an earlier template: 'Link workflow to encounter' was denied on AWS).
      const planning = template.Resources[logicalId(template, 'DischargePlanningStateMachine', 'AWS::StepFunctions::StateMachine')]!;
      const planningRole = (planning.Properties!.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      for (const policy of Object.values(template.Resources)) {
        if (policy.Type !== 'AWS::IAM::Policy' || !JSON.stringify(policy.Properties!.Roles).includes(`"${planningRole}"`)) continue;
        dropAction((policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement, 'kms:Decrypt');
      }
      roles.planning = planningRole;
      // 6. A stream consumer's role loses dynamodb:GetRecords: its event source mapping is not enabled.
      const auditor = statementsOfFunction(template, 'AuditAnnounceAndCountChangesFn');
      dropAction(auditor.statements, 'dynamodb:GetRecords');
      roles.auditor = auditor.roleId;
    },
  });
  unmodified = await startLocalStack(quiet);
}, 120_000);

afterAll(async () => {
  await edited?.stop();
  await unmodified?.stop();
});

async function call(stack: LocalStack, method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/carepath-dev-care-record';
const KEY = /^arn:aws:kms:us-east-1:000000000000:key\/CareRecordKey[0-9A-F]{8}$/;

// Cold starts of fresh function workers on 2 shared cores take seconds.
describe('IAM enforced from the synthesized template', { timeout: 60_000 }, () => {
  it('a function without dynamodb:PutItem on the table cannot admit (500), and the denial names role, action and table', async () => {
    const response = await call(edited, 'POST', '/v1/encounters', syntheticAdmission());
    expect(response.status).toBe(500);
    expect(edited.iam.denials).toContainEqual(expect.objectContaining({ role: roles.admit, action: 'dynamodb:PutItem', resource: TABLE }));
    expect(
      logLines.some(
        (line) => line.includes(`role ${roles.admit}`) && line.includes('dynamodb:PutItem') && line.includes('"Effect":"Allow"'),
      ),
    ).toBe(true);
  });

  it('a function without table/<t>/index/* cannot Query a GSI', async () => {
    const response = await call(edited, 'POST', '/_local/schedules/carepath-dev-overdue-task-escalation/run');
    expect(response.status).toBe(500);
    expect(edited.iam.denials).toContainEqual(
      expect.objectContaining({
        role: roles.sweep,
        action: 'dynamodb:Query',
        resource: expect.stringMatching(new RegExp(`^${TABLE}/index/`)),
      }),
    );
  });

  it('a function without kms:Decrypt on the table key cannot read, though its table grant is intact', async () => {
    const response = await call(edited, 'GET', `/v1/encounters/${randomUUID()}`);
    expect(response.status).toBe(500);
    expect(edited.iam.denials).toContainEqual(
      expect.objectContaining({ role: roles.read, action: 'kms:Decrypt', resource: expect.stringMatching(KEY) }),
    );
  });

  it("the SDK of a role-identified caller gets AccessDeniedException in AWS's words; the local credentials are not checked", async () => {
    const asSweep = new DynamoDBClient({
      endpoint: edited.functionDynamoDbUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: edited.iam.accessKeyIdOf(functions.sweep!), secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const query = new QueryCommand({
      TableName: 'carepath-dev-care-record',
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'x' } },
    });
    const error = await asSweep.send(query).catch((e: unknown) => e);
    // The client has no class for it: the SDK raises a service exception named after `__type`.
    expect((error as Error).name).toBe('AccessDeniedException');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::000000000000:assumed-role/${roles.sweep}/EscalateOverdueTasksFn[0-9A-F]{8} is not authorized to perform: dynamodb:Query on resource: ${TABLE}/index/gsi2 because no identity-based policy allows the dynamodb:Query action$`,
      ),
    );
    const admin = new DynamoDBClient({
      endpoint: edited.functionDynamoDbUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await expect(
      admin.send(new GetItemCommand({ TableName: 'carepath-dev-care-record', Key: { pk: { S: 'x' }, sk: { S: 'x' } } })),
    ).resolves.toBeDefined();
    const unknownFunction = new DynamoDBClient({
      endpoint: edited.functionDynamoDbUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'LOCALFNNoSuchFunction', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(
      unknownFunction.send(new GetItemCommand({ TableName: 'carepath-dev-care-record', Key: { pk: { S: 'x' }, sk: { S: 'x' } } })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    for (const client of [asSweep, admin, unknownFunction]) client.destroy();
  });

  it('the Step Functions API refuses a function StartExecution its role does not grant', async () => {
    const sfn = new SFNClient({
      endpoint: edited.stepFunctionsUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: edited.iam.accessKeyIdOf(functions.read!), secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const machine = edited.stateMachines.find((m) => m.name.endsWith('discharge-planning'))!;
    const error = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.arn, input: '{}' })).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AccessDeniedException');
    expect((error as Error).message).toContain(`is not authorized to perform: states:StartExecution on resource: ${machine.arn}`);
    // A token nobody issued names no state machine: the answer is the token error, as on AWS.
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'made-up', output: '{}' }))).rejects.toMatchObject({
      name: 'InvalidToken',
    });
    sfn.destroy();
  });

  it('a state machine whose role lacks lambda:InvokeFunction fails in that step with Lambda.AWSLambdaException, as on AWS', async () => {
    const sfn = new SFNClient({
      endpoint: edited.stepFunctionsUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const machine = edited.stateMachines.find((m) => m.name.endsWith('grievance'))!;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machine.arn,
        input: JSON.stringify({ encounterId: randomUUID(), grievanceId: randomUUID() }),
      }),
    );
    await expect
      .poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, { timeout: 20_000 })
      .toBe('FAILED');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.error).toBe('Lambda.AWSLambdaException');
    expect(described.cause).toMatch(
      /is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:.*GrievanceOpenGrievanceFn.*Error Code: AccessDeniedException/,
    );
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.find((e) => e.type === 'TaskStateEntered')?.stateEnteredEventDetails?.name).toBe('Open the grievance');
    expect(edited.iam.denials).toContainEqual(expect.objectContaining({ role: roles.grievance, action: 'lambda:InvokeFunction' }));
    sfn.destroy();
  });

  it('a state machine whose role lacks kms:Decrypt on the table key fails its DynamoDB step with DynamoDB.AccessDeniedException', async () => {
    const sfn = new SFNClient({
      endpoint: edited.stepFunctionsUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const machine = edited.stateMachines.find((m) => m.name.endsWith('discharge-planning'))!;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machine.arn, input: JSON.stringify({ encounterId: randomUUID() }) }),
    );
    await expect
      .poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, { timeout: 20_000 })
      .toBe('FAILED');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.error).toBe('DynamoDB.AccessDeniedException');
    expect(described.cause).toMatch(/^KMS key access denied error: .*\(Service: DynamoDb, Status Code: 400, Request ID: /);
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.find((e) => e.type === 'TaskStateEntered')?.stateEnteredEventDetails?.name).toBe('Link workflow to encounter');
    expect(edited.iam.denials).toContainEqual(
      expect.objectContaining({ role: roles.planning, action: 'kms:Decrypt', resource: expect.stringMatching(KEY) }),
    );
    sfn.destroy();
  });

  it('a stream consumer whose role may not read the stream is not enabled', () => {
    expect(edited.iam.denials).toContainEqual(
      expect.objectContaining({ role: roles.auditor, action: 'dynamodb:GetRecords', resource: `${TABLE}/stream/local` }),
    );
    expect(logLines.some((line) => /event source mapping AuditAnnounceAndCountChangesFn\w+ not enabled/.test(line))).toBe(true);
  });

  it('the unmodified template allows the same calls', async () => {
    const admitted = await call(unmodified, 'POST', '/v1/encounters', syntheticAdmission());
    expect(admitted.status).toBe(201);
    expect((await call(unmodified, 'GET', `/v1/encounters/${String(admitted.body.encounterId)}`)).status).toBe(200);
    expect((await call(unmodified, 'POST', '/_local/schedules/carepath-dev-overdue-task-escalation/run')).status).toBe(200);
    const sfn = new SFNClient({
      endpoint: unmodified.stepFunctionsUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const grievance = unmodified.stateMachines.find((m) => m.name.endsWith('grievance'))!;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: grievance.arn,
        input: JSON.stringify({ encounterId: randomUUID(), grievanceId: randomUUID() }),
      }),
    );
    // The first step runs (what it then decides about a made-up grievance is not this test's business).
    await expect
      .poll(
        async () =>
          (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events?.some(
            (e) => e.type === 'TaskStateExited' || e.type === 'LambdaFunctionFailed' || e.type === 'ExecutionFailed',
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
    sfn.destroy();
    // Not the discharge-planning role: whether the unmodified template grants it the key is infra's business (test/infra).
    const ours = new Set(
      Object.entries(roles)
        .filter(([name]) => name !== 'planning')
        .map(([, role]) => role),
    );
    expect(unmodified.iam.denials.filter((d) => ours.has(d.role))).toEqual([]);
  });
});
