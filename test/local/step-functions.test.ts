/**
 * The local Step Functions emulation, driven only through @aws-sdk/client-sfn over HTTP.
 * The Lambda side is a table of plain functions; DynamoDB points at a closed port (the real
 * DynamoDB paths are exercised against DynamoDB Local elsewhere).
 */
import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStepFunctionsServer } from '../../local/stepfunctions/server';
import { currentState, LocalStepFunctions, type LocalStateMachineConfig } from '../../local/stepfunctions/service';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const smArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

// ------------------------------------------------------------- the Lambda side

function lambdaError(errorType: string, errorMessage: string): Error {
  const err = new Error(errorMessage);
  err.name = errorType;
  return err;
}

type Payload = Record<string, unknown>;
const callbacks: Payload[] = []; // payloads the "notify" Lambda received (they carry task tokens)
let flakyCalls = 0;
let fixableCalls = 0;
let normalizeCalls = 0;
let fixed = false;

const lambdas: Record<string, (payload: Payload) => unknown> = {
  [fnArn('normalize')]: (p) => {
    normalizeCalls += 1;
    return { ...p, normalized: true };
  },
  [fnArn('score')]: (p) => ({ score: Number(p.age) > 65 ? 'high' : 'low' }),
  [fnArn('notify')]: (p) => {
    callbacks.push(p);
    return { sent: true };
  },
  [fnArn('flaky')]: () => {
    flakyCalls += 1;
    if (flakyCalls < 3) throw lambdaError('Transient.Error', `attempt ${flakyCalls} failed`);
    return { attempts: flakyCalls };
  },
  [fnArn('broken')]: () => {
    throw lambdaError('Validation.Error', 'bad input');
  },
  // Fails until an operator has "fixed" it (the flag below); counts its runs.
  [fnArn('fixable')]: (p) => {
    fixableCalls += 1;
    if (!fixed) throw lambdaError('Downstream.Unavailable', 'the service is down');
    return { ...p, sent: true };
  },
};

async function invokeLambda(functionArn: string, payload: unknown): Promise<unknown> {
  const fn = lambdas[functionArn];
  if (!fn) throw lambdaError('ResourceNotFoundException', `Function not found: ${functionArn}`);
  return fn(structuredClone(payload) as Payload);
}

// ------------------------------------------------------------- state machines

const invoke = (fn: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: fnArn(fn), 'Payload.$': '$' },
  ...extra,
});

const approvalDefinition = {
  StartAt: 'WaitForApproval',
  States: {
    WaitForApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: fnArn('notify'),
        Payload: { 'taskToken.$': '$$.Task.Token', 'patientId.$': '$.patientId', 'executionId.$': '$$.Execution.Id' },
      },
      ResultPath: '$.approval',
      Catch: [{ ErrorEquals: ['Approval.Rejected'], ResultPath: '$.rejection', Next: 'Rejected' }],
      Next: 'Approved',
    },
    Approved: { Type: 'Succeed' },
    Rejected: { Type: 'Pass', Result: 'rejected', ResultPath: '$.outcome', End: true },
  },
};

function machine(name: string, definition: Record<string, unknown>): LocalStateMachineConfig {
  return { name, arn: smArn(name), definition, roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}-role`, type: 'STANDARD' };
}

const machines = [
  machine('chain', {
    StartAt: 'Normalize',
    States: {
      Normalize: invoke('normalize', { OutputPath: '$.Payload', Next: 'Score' }),
      Score: invoke('score', { ResultSelector: { 'score.$': '$.Payload.score' }, ResultPath: '$.result', End: true }),
    },
  }),
  machine('approval', approvalDefinition),
  machine('list-demo', approvalDefinition),
  machine('retry', {
    StartAt: 'Flaky',
    States: {
      Flaky: invoke('flaky', {
        OutputPath: '$.Payload',
        Retry: [{ ErrorEquals: ['Transient.Error'], IntervalSeconds: 1, MaxAttempts: 3 }],
        End: true,
      }),
    },
  }),
  machine('broken', { StartAt: 'Broken', States: { Broken: invoke('broken', { End: true }) } }),
  machine('dynamo', {
    StartAt: 'Save',
    States: {
      Save: {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: { TableName: 'carepath', Item: { pk: { 'S.$': '$.id' } } },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }],
        End: true,
      },
      Done: { Type: 'Pass', End: true },
    },
  }),
  machine('redrivable', {
    StartAt: 'Normalize',
    States: {
      Normalize: invoke('normalize', { ResultSelector: { 'value.$': '$.Payload' }, OutputPath: '$.value', Next: 'Send' }),
      Send: invoke('fixable', { ResultSelector: { 'value.$': '$.Payload' }, OutputPath: '$.value', End: true }),
    },
  }),
];

// ------------------------------------------------------------- harness

let service: LocalStepFunctions;
let server: Awaited<ReturnType<typeof startStepFunctionsServer>>;
let sfn: SFNClient;

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  const dynamodb = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${await closedPort()}`,
    region: REGION,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  service = new LocalStepFunctions({ region: REGION, accountId: ACCOUNT, invokeLambda, dynamodb, retryIntervalMs: 10 });
  for (const cfg of machines) service.registerStateMachine(cfg);
  server = await startStepFunctionsServer(service, { port: 0 });
  sfn = new SFNClient({ endpoint: server.url, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});

afterAll(async () => {
  sfn?.destroy();
  await service?.close();
  await server?.close();
});

beforeEach(() => {
  callbacks.length = 0;
  flakyCalls = 0;
});

async function start(machineName: string, input: unknown, name?: string): Promise<string> {
  const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn(machineName), input: JSON.stringify(input), name }));
  expect(out.startDate).toBeInstanceOf(Date);
  return out.executionArn!;
}

async function waitForStatus(executionArn: string, status: ExecutionStatus) {
  await expect.poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, { timeout: 10_000 }).toBe(status);
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

async function history(executionArn: string) {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
}

/** Waits until the notify Lambda has received the callback for this patient and returns its payload. */
async function callbackFor(patientId: string): Promise<Payload> {
  await expect.poll(() => callbacks.some((c) => c.patientId === patientId), { timeout: 10_000 }).toBe(true);
  return callbacks.find((c) => c.patientId === patientId)!;
}

// ------------------------------------------------------------- tests

describe('local Step Functions over the SFN API', () => {
  it('runs a lambda:invoke chain to SUCCEEDED with the processed output', async () => {
    const arn = await start('chain', { patientId: 'p1', age: 70 }, 'chain-1');
    expect(arn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:chain:chain-1`);

    const done = await waitForStatus(arn, 'SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ patientId: 'p1', age: 70, normalized: true, result: { score: 'high' } });
    expect(done.stopDate).toBeInstanceOf(Date);
    expect(done.stateMachineArn).toBe(smArn('chain'));

    const types = (await history(arn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('pauses on waitForTaskToken and resumes on SendTaskSuccess, merging the output at ResultPath', async () => {
    const arn = await start('approval', { patientId: 'p2' });
    const payload = await callbackFor('p2');
    expect(payload.executionId).toBe(arn);
    expect(typeof payload.taskToken).toBe('string');

    const paused = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(paused.status).toBe('RUNNING');
    expect(currentState(await history(arn))).toBe('WaitForApproval');

    const taskToken = payload.taskToken as string;
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ approved: true, by: 'dr-x' }) }));
    const done = await waitForStatus(arn, 'SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ patientId: 'p2', approval: { approved: true, by: 'dr-x' } });
    expect(currentState(await history(arn))).toBeUndefined();

    // The token is closed now; AWS answers TaskTimedOut. A token it never issued is InvalidToken.
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }))).rejects.toMatchObject({
      name: 'InvalidToken',
    });
  });

  it('rejects a SendTaskSuccess whose output is not JSON', async () => {
    const arn = await start('approval', { patientId: 'p2b' });
    const { taskToken } = await callbackFor('p2b');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: taskToken as string, output: 'not json' }))).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
    // The task is still open after a rejected answer.
    await sfn.send(new SendTaskSuccessCommand({ taskToken: taskToken as string, output: '"ok"' }));
    await waitForStatus(arn, 'SUCCEEDED');
  });

  it('routes SendTaskFailure with a named error to the Catch for that name', async () => {
    const arn = await start('approval', { patientId: 'p3' });
    const { taskToken } = await callbackFor('p3');
    await sfn.send(new SendTaskFailureCommand({ taskToken: taskToken as string, error: 'Approval.Rejected', cause: 'not eligible' }));
    const done = await waitForStatus(arn, 'SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      patientId: 'p3',
      rejection: { Error: 'Approval.Rejected', Cause: 'not eligible' },
      outcome: 'rejected',
    });
    const failed = (await history(arn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'Approval.Rejected',
      cause: 'not eligible',
    });
  });

  it('retries a named Lambda error, then succeeds', async () => {
    const arn = await start('retry', {});
    const done = await waitForStatus(arn, 'SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ attempts: 3 });
    const failures = (await history(arn)).filter((e) => e.type === 'TaskFailed');
    expect(failures.map((e) => e.taskFailedEventDetails?.error)).toEqual(['Transient.Error', 'Transient.Error']);
  });

  it('fails the execution with the Lambda error when nothing catches it', async () => {
    const arn = await start('broken', {});
    const done = await waitForStatus(arn, 'FAILED');
    expect(done.error).toBe('Validation.Error');
    // As on AWS, the cause is the Lambda runtime's JSON error document.
    expect(JSON.parse(done.cause!)).toMatchObject({ errorType: 'Validation.Error', errorMessage: 'bad input' });
    expect((await history(arn)).at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'Validation.Error' },
    });
  });

  it('RedriveExecution goes on from the failed state with its input, without running the states before it', async () => {
    [fixed, fixableCalls, normalizeCalls] = [false, 0, 0];
    const arn = await start('redrivable', { patientId: 'p9' });
    await waitForStatus(arn, 'FAILED');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).redriveStatus).toBe('REDRIVABLE');
    fixed = true;
    const redriven = await sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    const done = await waitForStatus(arn, 'SUCCEEDED');
    expect(done).toMatchObject({ redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE' });
    expect(JSON.parse(done.output!)).toEqual({ patientId: 'p9', normalized: true, sent: true });
    expect([normalizeCalls, fixableCalls]).toEqual([1, 2]);
    const types = (await history(arn)).map((e) => e.type);
    expect(types.filter((t) => t === 'ExecutionRedriven')).toHaveLength(1);
    expect(types.indexOf('ExecutionFailed')).toBeLessThan(types.indexOf('ExecutionRedriven'));
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    // Only unsuccessful executions can be redriven.
    await expect(sfn.send(new RedriveExecutionCommand({ executionArn: arn }))).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
  });

  it('StopExecution aborts a waiting execution and closes its task token', async () => {
    const arn = await start('approval', { patientId: 'p4' });
    const { taskToken } = await callbackFor('p4');
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Admin.Cancelled', cause: 'duplicate' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);

    const done = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(done).toMatchObject({ status: 'ABORTED', error: 'Admin.Cancelled', cause: 'duplicate' });
    expect((await history(arn)).at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Admin.Cancelled', cause: 'duplicate' },
    });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: taskToken as string, output: '{}' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('answers ExecutionDoesNotExist / InvalidArn / StateMachineDoesNotExist / InvalidName / InvalidExecutionInput', async () => {
    const unknown = `arn:aws:states:${REGION}:${ACCOUNT}:execution:chain:nope`;
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: unknown }))).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'garbage' }))).rejects.toMatchObject({
      name: 'InvalidArn',
    });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: smArn('missing') }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: smArn('chain'), name: 'bad name!' }))).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: smArn('chain'), input: '{nope' }))).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
  });

  it('StartExecution is idempotent for the same name and input while running', async () => {
    const input = { patientId: 'p5' };
    const first = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: smArn('approval'), name: 'idem-1', input: JSON.stringify(input) }),
    );
    const again = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: smArn('approval'), name: 'idem-1', input: JSON.stringify(input) }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: smArn('approval'), name: 'idem-1', input: '{"patientId":"other"}' })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    // Once closed, even the same input is a conflict.
    const { taskToken } = await callbackFor('p5');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: taskToken as string, output: '{}' }));
    await waitForStatus(first.executionArn!, 'SUCCEEDED');
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: smArn('approval'), name: 'idem-1', input: JSON.stringify(input) })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('pages GetExecutionHistory with reverseOrder, maxResults and nextToken', async () => {
    const arn = await start('chain', { patientId: 'p6', age: 30 });
    await waitForStatus(arn, 'SUCCEEDED');

    const page1 = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 2 }));
    expect(page1.events?.map((e) => [e.id, e.type])).toEqual([
      [6, 'ExecutionSucceeded'],
      [5, 'TaskStateExited'],
    ]);
    expect(page1.events?.[0]?.timestamp).toBeInstanceOf(Date);
    expect(page1.events?.[1]?.stateExitedEventDetails?.name).toBe('Score');
    expect(page1.nextToken).toBeTruthy();

    const page2 = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 2, nextToken: page1.nextToken }),
    );
    expect(page2.events?.map((e) => e.id)).toEqual([4, 3]);

    const page3 = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 2, nextToken: page2.nextToken }),
    );
    expect(page3.events?.map((e) => e.id)).toEqual([2, 1]);
    expect(page3.nextToken).toBeUndefined();

    const noData = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, includeExecutionData: false }));
    expect(noData.events?.[0]?.executionStartedEventDetails).toEqual({ roleArn: machines[0]!.roleArn });
    expect(noData.events?.[1]?.stateEnteredEventDetails).toEqual({ name: 'Normalize' });
  });

  it('lists executions newest first, filtered by status and paged', async () => {
    const running = await start('list-demo', { patientId: 'p7-running' });
    await callbackFor('p7-running');
    const finished = await start('list-demo', { patientId: 'p7-done' });
    const { taskToken } = await callbackFor('p7-done');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: taskToken as string, output: '{}' }));
    await waitForStatus(finished, 'SUCCEEDED');

    const list = (statusFilter?: ExecutionStatus, maxResults?: number, nextToken?: string) =>
      sfn.send(new ListExecutionsCommand({ stateMachineArn: smArn('list-demo'), statusFilter, maxResults, nextToken }));

    expect((await list()).executions?.map((e) => e.executionArn)).toEqual([finished, running]);
    expect((await list('RUNNING')).executions?.map((e) => e.executionArn)).toEqual([running]);
    const succeeded = (await list('SUCCEEDED')).executions ?? [];
    expect(succeeded.map((e) => e.executionArn)).toEqual([finished]);
    expect(succeeded[0]?.stopDate).toBeInstanceOf(Date);

    const first = await list(undefined, 1);
    expect(first.executions?.map((e) => e.executionArn)).toEqual([finished]);
    const second = await list(undefined, 1, first.nextToken);
    expect(second.executions?.map((e) => e.executionArn)).toEqual([running]);
    expect(second.nextToken).toBeUndefined();
  });

  it('lists and describes state machines', async () => {
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines?.map((m) => m.name)).toEqual(machines.map((m) => m.name));
    expect(stateMachines?.[0]).toMatchObject({ stateMachineArn: smArn('chain'), type: 'STANDARD' });
    expect(stateMachines?.[0]?.creationDate).toBeInstanceOf(Date);

    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: smArn('approval') }));
    expect(described).toMatchObject({
      stateMachineArn: smArn('approval'),
      name: 'approval',
      status: 'ACTIVE',
      roleArn: machines[1]!.roleArn,
      type: 'STANDARD',
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    });
    expect(JSON.parse(described.definition!)).toEqual(approvalDefinition);
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: smArn('missing') }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });

  it('reports DynamoDB integration errors as DynamoDB.<name>, catchable like on AWS', async () => {
    const arn = await start('dynamo', { id: 'x1' });
    const done = await waitForStatus(arn, 'SUCCEEDED');
    const output = JSON.parse(done.output!) as { error: { Error: string } };
    expect(output.error.Error).toMatch(/^DynamoDB\./);
  });

  it('refuses Task resources it cannot emulate when the state machine is registered', () => {
    expect(() =>
      service.registerStateMachine(
        machine('unsupported', {
          StartAt: 'Publish',
          States: { Publish: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { Message: 'x' }, End: true } },
        }),
      ),
    ).toThrow(/Task state 'Publish' uses unsupported Resource 'arn:aws:states:::sns:publish'/);
  });
});
