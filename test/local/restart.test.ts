/**
 * Executions survive a restart of the local Step Functions service on the same data directory
 * (issue 17 item 7a): finished ones are still listed with their history, one waiting for a task
 * token takes the old token, timers keep their due time. Driven through @aws-sdk/client-sfn over
 * HTTP; each "restart" is a new service and server on the same directory, as `npm start --data`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type ExecutionStatus,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { startStepFunctionsServer } from '../../local/stepfunctions/server';
import { currentState, LocalStepFunctions, resumePoint, type LocalStateMachineConfig } from '../../local/stepfunctions/service';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const smArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

/** Payloads the "ask" function received, each with the task token it hands to a person. */
const asked: Array<{ taskToken: string; who: string }> = [];
const invokeLambda = async (arn: string, payload: unknown) => {
  if (arn === fnArn('ask')) asked.push(payload as { taskToken: string; who: string });
  return { ok: true };
};

function machine(name: string, definition: Record<string, unknown>): LocalStateMachineConfig {
  return { name, arn: smArn(name), definition, roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`, type: 'STANDARD' };
}

const askPerson = (timeoutSeconds: number, next: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: fnArn('ask'), Payload: { 'taskToken.$': '$$.Task.Token', 'who.$': '$.who' } },
  ResultPath: '$.answer',
  TimeoutSeconds: timeoutSeconds,
  Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.silence', Next: 'Silent' }],
  ...next,
});

const machines = [
  machine('sign-off', {
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Result: 'prepared', ResultPath: '$.step', Next: 'AskPerson' },
      AskPerson: askPerson(3600, { Next: 'Signed' }),
      Signed: { Type: 'Pass', Result: 'signed', ResultPath: '$.step', End: true },
      Silent: { Type: 'Pass', Result: 'silent', ResultPath: '$.step', End: true },
    },
  }),
  machine('short-deadline', {
    StartAt: 'AskPerson',
    States: {
      AskPerson: askPerson(4, { End: true }),
      Silent: { Type: 'Pass', Result: 'silent', ResultPath: '$.step', End: true },
    },
  }),
  machine('timer', {
    StartAt: 'Pause',
    States: {
      Pause: { Type: 'Wait', Seconds: 8, Next: 'After' },
      After: { Type: 'Pass', Result: 'woke', ResultPath: '$.step', End: true },
    },
  }),
  machine('quick', { StartAt: 'Only', States: { Only: { Type: 'Pass', Result: 'done', ResultPath: '$.step', End: true } } }),
];

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Running {
  service: LocalStepFunctions;
  sfn: SFNClient;
  stop(): Promise<void>;
}
const running: Running[] = [];
const dirs: string[] = [];

/** One "npm start": a fresh service on `dataDir` (or in memory), its machines registered, what the directory holds restored. */
async function startService(dataDir: string | undefined, configs = machines): Promise<Running> {
  const dynamodb = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${await closedPort()}`,
    region: REGION,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const service = new LocalStepFunctions({ region: REGION, accountId: ACCOUNT, invokeLambda, dynamodb, ...(dataDir ? { dataDir } : {}) });
  for (const cfg of configs) service.registerStateMachine(cfg);
  await service.restore();
  const server = await startStepFunctionsServer(service, { port: 0 });
  const sfn = new SFNClient({ endpoint: server.url, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  let stopped = false;
  const handle: Running = {
    service,
    sfn,
    async stop() {
      if (stopped) return;
      stopped = true;
      sfn.destroy();
      await service.close();
      await server.close();
    },
  };
  running.push(handle);
  return handle;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'carepath-sfn-restart-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  asked.length = 0;
});

async function start(sfn: SFNClient, name: string, input: unknown): Promise<string> {
  const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn(name), input: JSON.stringify(input) }));
  return out.executionArn!;
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
}

async function waitForStatus(sfn: SFNClient, executionArn: string, status: ExecutionStatus, timeout = 10_000) {
  await expect
    .poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, { timeout, interval: 50 })
    .toBe(status);
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a restart on the same data directory', { timeout: 40_000 }, () => {
  it('keeps finished executions: Describe, List and GetExecutionHistory answer as before', async () => {
    const dir = tempDir();
    const first = await startService(dir);
    const arn = await start(first.sfn, 'quick', { patient: 'P-7' });
    const before = await waitForStatus(first.sfn, arn, 'SUCCEEDED');
    const eventsBefore = await history(first.sfn, arn);
    await first.stop();

    const second = await startService(dir);
    const after = await second.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(after).toMatchObject({ status: 'SUCCEEDED', output: before.output, input: before.input, name: before.name });
    expect(after.startDate?.getTime()).toBe(before.startDate?.getTime());
    expect(after.stopDate?.getTime()).toBe(before.stopDate?.getTime());
    expect(await history(second.sfn, arn)).toEqual(eventsBefore);
    // A new execution is listed above the restored one (newest first).
    const newer = await start(second.sfn, 'quick', { patient: 'P-8' });
    await waitForStatus(second.sfn, newer, 'SUCCEEDED');
    const listed = await second.sfn.send(new ListExecutionsCommand({ stateMachineArn: smArn('quick') }));
    expect(listed.executions?.map((e) => e.executionArn)).toEqual([newer, arn]);
  });

  it('resumes an execution waiting for a task token: the token handed out before the restart completes it, after two restarts', async () => {
    const dir = tempDir();
    const first = await startService(dir);
    const arn = await start(first.sfn, 'sign-off', { who: 'charge nurse' });
    await expect.poll(() => asked.length, { timeout: 10_000 }).toBe(1);
    const token = asked[0]!.taskToken;
    await first.stop();

    await (await startService(dir)).stop();
    const third = await startService(dir);
    const described = await third.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(described.status).toBe('RUNNING');
    expect(currentState(await history(third.sfn, arn))).toBe('AskPerson');

    await third.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ signedBy: 'RN Poe' }) }));
    const done = await waitForStatus(third.sfn, arn, 'SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ who: 'charge nurse', answer: { signedBy: 'RN Poe' }, step: 'signed' });
    // The person was asked once: a resume waits on the old token, it does not send the task again.
    expect(asked).toHaveLength(1);
    const events = await history(third.sfn, arn);
    expect(events.filter((e) => e.type === 'TaskStateEntered')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'PassStateEntered').map((e) => e.stateEnteredEventDetails?.name)).toEqual(['Prepare', 'Signed']);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });

  it('a task deadline that passed while the service was down takes its Catch at once on restart', async () => {
    const dir = tempDir();
    const first = await startService(dir);
    const arn = await start(first.sfn, 'short-deadline', { who: 'pharmacist' });
    await expect.poll(() => asked.length, { timeout: 10_000 }).toBe(1);
    await first.stop();
    await sleep(4_500);

    const second = await startService(dir);
    const restarted = Date.now();
    const done = await waitForStatus(second.sfn, arn, 'SUCCEEDED', 15_000);
    // A deadline counted again from the restart would pass 4 s after it.
    expect(done.stopDate!.getTime() - restarted).toBeLessThan(2_000);
    expect(JSON.parse(done.output!)).toMatchObject({ step: 'silent', silence: { Error: 'States.Timeout' } });
    expect((await history(second.sfn, arn)).some((e) => e.type === 'TaskTimedOut')).toBe(true);
    expect(asked).toHaveLength(1);
  });

  it('a Wait keeps its due time: it ends 8 s after it began, not 8 s after the restart', async () => {
    const dir = tempDir();
    const first = await startService(dir);
    const arn = await start(first.sfn, 'timer', {});
    await sleep(300);
    await first.stop();
    await sleep(2_000);

    const second = await startService(dir);
    const restarted = Date.now();
    const done = await waitForStatus(second.sfn, arn, 'SUCCEEDED', 15_000);
    const entered = (await history(second.sfn, arn)).filter((e) => e.type === 'WaitStateEntered');
    expect(entered).toHaveLength(1);
    expect(done.stopDate!.getTime() - entered[0]!.timestamp!.getTime()).toBeGreaterThanOrEqual(7_900);
    // A fresh 8 s from the restart would end 8 s or more after it.
    expect(done.stopDate!.getTime() - restarted).toBeLessThan(6_000);
    expect(JSON.parse(done.output!)).toEqual({ step: 'woke' });
  });

  it('an execution whose state is no longer in the definition fails, naming it, instead of waiting for ever', async () => {
    const dir = tempDir();
    const first = await startService(dir);
    const arn = await start(first.sfn, 'sign-off', { who: 'charge nurse' });
    await expect.poll(() => asked.length, { timeout: 10_000 }).toBe(1);
    await first.stop();

    const renamed = machine('sign-off', {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Next: 'AskSomeone' },
        AskSomeone: askPerson(3600, { Next: 'Signed' }),
        Signed: { Type: 'Pass', End: true },
        Silent: { Type: 'Pass', End: true },
      },
    });
    const second = await startService(dir, [renamed]);
    const failed = await waitForStatus(second.sfn, arn, 'FAILED');
    expect(failed).toMatchObject({
      error: 'States.Runtime',
      cause: expect.stringContaining("state 'AskPerson' is no longer in the definition"),
    });
  });

  it('without a data directory nothing is kept: the next start knows no execution', async () => {
    const first = await startService(undefined);
    const arn = await start(first.sfn, 'quick', {});
    await waitForStatus(first.sfn, arn, 'SUCCEEDED');
    await first.stop();
    const second = await startService(undefined);
    await expect(second.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
  });
});

describe('resumePoint: where a running execution goes on', () => {
  const states = {
    First: { Type: 'Pass', Next: 'Decide' },
    Decide: { Type: 'Choice', Choices: [], Default: 'Last' },
    Last: { Type: 'Pass', End: true },
  };
  const at = new Date('2026-11-30T10:00:00Z');
  const entered = (name: string, input: unknown): HistoryEvent => ({
    timestamp: at,
    type: 'PassStateEntered',
    id: 0,
    previousEventId: 0,
    stateEnteredEventDetails: { name, input: JSON.stringify(input) },
  });
  const exited = (name: string, output: unknown): HistoryEvent => ({
    timestamp: at,
    type: 'PassStateExited',
    id: 0,
    previousEventId: 0,
    stateExitedEventDetails: { name, output: JSON.stringify(output) },
  });

  it('the start, with the execution input, before any state', () => {
    expect(resumePoint([], states, '{"a":1}', 'First')).toEqual({ kind: 'state', name: 'First', input: { a: 1 } });
  });
  it('the state entered and not exited, with the input it entered with', () => {
    expect(resumePoint([entered('First', { a: 1 }), exited('First', { b: 2 }), entered('Last', { c: 3 })], states, '{}', 'First')).toEqual({
      kind: 'state',
      name: 'Last',
      input: { c: 3 },
      enteredAt: at,
    });
  });
  it('the next state, with the output of the one that exited', () => {
    expect(resumePoint([entered('First', { a: 1 }), exited('First', { b: 2 })], states, '{}', 'First')).toEqual({
      kind: 'state',
      name: 'Decide',
      input: { b: 2 },
    });
  });
  it('a Choice that exited decides again from its input', () => {
    expect(resumePoint([entered('Decide', { d: 4 }), exited('Decide', { d: 4 })], states, '{}', 'First')).toEqual({
      kind: 'state',
      name: 'Decide',
      input: { d: 4 },
      enteredAt: at,
    });
  });
  it('an end state that exited: the execution succeeded with its output', () => {
    expect(resumePoint([entered('Last', { e: 5 }), exited('Last', { f: 6 })], states, '{}', 'First')).toEqual({
      kind: 'succeeded',
      output: { f: 6 },
    });
  });
});
