import type { SFNClient } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Encounter } from '../../shared/domain/encounter';
import type { CareTask } from '../../shared/domain/tasks';
import {
  canStillAnswer,
  judgeStay,
  notRunningMessage,
  orphanedTaskAttention,
  planningShouldRun,
  START_GRACE_MS,
  workflowThatShouldRun,
} from '../../shared/domain/workflow-liveness';
import { encounterIndex, followUpIndex } from '../../shared/store/keys';
import type { OperatorTaskRequest } from '../../shared/care/operations/operator-task';

const counted = vi.hoisted(() => [] as Array<[string, Record<string, string>, number | undefined]>);
vi.mock('../../shared/observability/metrics', () => ({
  count: (name: string, dimensions: Record<string, string>, value?: number) => counted.push([name, dimensions, value]),
}));
const { resumeWorkflow } = await import('../../shared/care/reactions/resume-workflow');
const { checkStayWorkflows } = await import('../../functions/check-stay-workflows/handler');

const NOW = new Date('2026-12-02T14:30:00Z');
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:carepath-dev-discharge-planning';
const FOLLOW_UP_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:carepath-dev-post-discharge-follow-up';
const named = (name: string) => Object.assign(new Error(name), { name });

describe('whether an execution can still take an answer', () => {
  it('only RUNNING or a redrive under way can', () => {
    expect(canStillAnswer('RUNNING')).toBe(true);
    expect(canStillAnswer('PENDING_REDRIVE')).toBe(true);
    for (const status of ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'NOT_FOUND', 'UNKNOWN'])
      expect(canStillAnswer(status)).toBe(false);
  });

  it('the refusal names the status, and the operator task is keyed by the task so retries open one', () => {
    expect(notRunningMessage('TIMED_OUT')).toMatch(/^The workflow waiting for this task is no longer running \(TIMED_OUT\)/);
    const a = orphanedTaskAttention({ taskId: 't-9', type: 'discharge-order' }, 'NOT_FOUND', false);
    const b = orphanedTaskAttention({ taskId: 't-9', type: 'discharge-order' }, 'ABORTED', true);
    expect(a.state).toBe(b.state);
    expect(a.reason).toMatch(/still open/);
    expect(b.reason).toMatch(/completion is kept/);
    expect(orphanedTaskAttention({ taskId: 't-10', type: 'discharge-order' }, 'ABORTED', true).state).not.toBe(a.state);
  });
});

describe('which stays should have a running workflow', () => {
  const stay = (over: Partial<Encounter>): Encounter =>
    ({
      encounterId: 'e-0000000000a3',
      patientId: 'p-1',
      facilityId: 'F9',
      class: 'observation',
      status: 'awaiting-discharge-order',
      admittedAt: '2026-11-30T22:15:00Z',
      updatedAt: '2026-12-01T03:00:00Z',
      version: 4,
      ...over,
    }) as Encounter;

  it('inpatient and observation stays until discharged or cancelled', () => {
    expect(planningShouldRun(stay({}))).toBe(true);
    expect(planningShouldRun(stay({ class: 'inpatient', status: 'admitted' }))).toBe(true);
    expect(planningShouldRun(stay({ status: 'discharged' }))).toBe(false);
    expect(planningShouldRun(stay({ status: 'cancelled' }))).toBe(false);
    expect(planningShouldRun(stay({ class: 'emergency', status: 'admitted' }))).toBe(false);
  });

  it('are in the sparse index: awaiting a plan in its partition, planned in the planning one, and out once discharged', () => {
    expect(encounterIndex(stay({ status: 'assessment-pending' })).gsi2pk).toMatch(/^AWAITING_PLAN#/);
    const planned = encounterIndex(stay({ dischargePlan: {} as Encounter['dischargePlan'] }));
    expect(planned.gsi2pk).toMatch(/^PLANNING#\d$/);
    expect(planned.gsi2sk).toBe('2026-11-30T22:15:00Z#e-0000000000a3');
    expect(encounterIndex(stay({ status: 'discharged', dischargePlan: {} as Encounter['dischargePlan'] })).gsi2pk).toBeUndefined();
    expect(encounterIndex(stay({ class: 'outpatient', status: 'admitted' })).gsi2pk).toBeUndefined();
  });

  it('after discharge, the TCM follow-up while it is open (any class), in its own partition, and out once closed or cancelled', () => {
    const followUp = (status: 'open' | 'closed' | 'cancelled') =>
      ({ status, executionName: 'post-discharge-follow-up-e-0000000000a3-2' }) as Encounter['followUp'];
    expect(workflowThatShouldRun(stay({ status: 'discharged', followUp: followUp('open') }))).toBe('post-discharge-follow-up');
    expect(workflowThatShouldRun(stay({ class: 'emergency', status: 'discharged', followUp: followUp('open') }))).toBe(
      'post-discharge-follow-up',
    );
    expect(workflowThatShouldRun(stay({ status: 'discharged', followUp: followUp('closed') }))).toBeUndefined();
    expect(workflowThatShouldRun(stay({ status: 'discharged' }))).toBeUndefined();
    expect(workflowThatShouldRun(stay({ status: 'cancelled', followUp: followUp('open') }))).toBeUndefined();
    expect(workflowThatShouldRun(stay({}))).toBe('discharge-planning');
    // The follow-up part carries the entry (issue 18), not the encounter record.
    expect(followUpIndex(stay({ status: 'discharged', followUp: followUp('open') })).gsi2pk).toMatch(/^FOLLOWING_UP#\d$/);
    expect(encounterIndex(stay({ status: 'discharged', followUp: followUp('open') })).gsi2pk).toBeUndefined();
    expect(followUpIndex(stay({ status: 'discharged', followUp: followUp('cancelled') })).gsi2pk).toBeUndefined();
    expect(judgeStay(stay({ status: 'discharged', followUp: followUp('open') }), 'ABORTED', NOW)).toBe('not-running');
    expect(judgeStay(stay({ status: 'discharged', followUp: followUp('closed') }), 'ABORTED', NOW)).toBe('running');
  });

  it('a stopped execution is not running at once; a missing one only after the start grace', () => {
    expect(judgeStay(stay({}), 'RUNNING', NOW)).toBe('running');
    expect(judgeStay(stay({ updatedAt: NOW.toISOString() }), 'ABORTED', NOW)).toBe('not-running');
    expect(judgeStay(stay({ updatedAt: new Date(NOW.getTime() - 60_000).toISOString() }), 'NOT_FOUND', NOW)).toBe('starting');
    expect(judgeStay(stay({ updatedAt: new Date(NOW.getTime() - START_GRACE_MS - 1).toISOString() }), 'NOT_FOUND', NOW)).toBe(
      'not-running',
    );
    expect(judgeStay(stay({ status: 'discharged' }), 'SUCCEEDED', NOW)).toBe('running');
  });
});

describe('the stream resuming a completed task (the race after the API checked)', () => {
  const task = {
    taskId: 't-77',
    encounterId: 'e-5',
    type: 'patient-choice',
    status: 'completed',
    resume: 'pending',
    outcome: 'completed',
    data: {},
  } as unknown as CareTask;
  const executionArn = `${MACHINE.replace(':stateMachine:', ':execution:')}:discharge-planning-e-5-1`;

  function run(sendAnswer: () => Promise<unknown>, status: string) {
    const opened: OperatorTaskRequest[] = [];
    const marked: string[] = [];
    const deps = {
      sfn: { send: vi.fn(sendAnswer) } as unknown as SFNClient,
      tasks: { markResume: vi.fn(async (_id: string, resume: string) => void marked.push(resume)) } as never,
      executionStatus: vi.fn(async () => status),
      openOperatorTask: vi.fn(async (request: OperatorTaskRequest) => void opened.push(request)),
    };
    return { deps, opened, marked, go: () => resumeWorkflow(task, { taskToken: 'token-1', executionArn }, deps) };
  }

  it.each(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken'])(
    '%s from an execution that ended: one operator task, the resume marked not-waiting, no failure',
    async (error) => {
      const { go, opened, marked } = run(() => Promise.reject(named(error)), 'ABORTED');
      await go();
      expect(opened).toEqual([{ encounterId: 'e-5', executionArn, ...orphanedTaskAttention(task, 'ABORTED', true) }]);
      expect(marked).toEqual(['not-waiting']);
    },
  );

  it('not waiting while the execution runs on, or after it succeeded (it went on without this answer): no operator task', async () => {
    for (const status of ['RUNNING', 'SUCCEEDED']) {
      const { go, opened, marked } = run(() => Promise.reject(named('TaskTimedOut')), status);
      await go();
      expect(opened).toEqual([]);
      expect(marked).toEqual(['not-waiting']);
    }
  });

  it('delivered: nothing asked, nothing opened', async () => {
    const { go, opened, marked, deps } = run(async () => ({}), 'ABORTED');
    await go();
    expect(deps.executionStatus).not.toHaveBeenCalled();
    expect(opened).toEqual([]);
    expect(marked).toEqual(['delivered']);
  });

  it('any other error fails the record (retried), opening nothing', async () => {
    const { go, opened, marked } = run(() => Promise.reject(named('ThrottlingException')), 'ABORTED');
    await expect(go()).rejects.toThrow('ThrottlingException');
    expect(opened).toEqual([]);
    expect(marked).toEqual([]);
  });
});

describe('the scheduled check of stays and their workflows', () => {
  beforeEach(() => {
    counted.length = 0;
  });

  const encounters: Record<string, Partial<Encounter>> = {
    healthy: { class: 'inpatient', status: 'assessment-pending', updatedAt: '2026-12-01T00:00:00Z' },
    stopped: { class: 'inpatient', status: 'awaiting-discharge-order', updatedAt: '2026-12-01T00:00:00Z', planningRun: 2 },
    flagged: { class: 'observation', status: 'admitted', updatedAt: '2026-12-01T00:00:00Z' },
    fresh: { class: 'inpatient', status: 'admitted', updatedAt: NOW.toISOString() },
    following: {
      class: 'inpatient',
      status: 'discharged',
      updatedAt: '2026-12-01T00:00:00Z',
      planningRun: 3,
      followUp: { status: 'open', executionName: 'post-discharge-follow-up-following-3' } as Encounter['followUp'],
    },
    followed: {
      class: 'inpatient',
      status: 'discharged',
      updatedAt: '2026-12-01T00:00:00Z',
      followUp: { status: 'open', executionName: 'post-discharge-follow-up-followed-1' } as Encounter['followUp'],
    },
  };
  const statuses: Record<string, string> = {
    healthy: 'RUNNING',
    stopped: 'ABORTED',
    flagged: 'FAILED',
    fresh: 'NOT_FOUND',
    following: 'FAILED',
    followed: 'RUNNING',
  };

  it('opens one operator task for a stay whose execution is not running, none for a healthy, starting or already flagged one, and counts them per workflow', async () => {
    const opened: OperatorTaskRequest[] = [];
    const asked: string[] = [];
    const result = await checkStayWorkflows({
      stateMachineArns: { 'discharge-planning': MACHINE, 'post-discharge-follow-up': FOLLOW_UP_MACHINE },
      encounters: {
        listExpectingWorkflow: async () => Object.keys(encounters),
        get: async (id: string) => ({ encounterId: id, ...encounters[id] }),
      } as never,
      tasks: {
        listByEncounter: async (id: string) => (id === 'flagged' ? [{ type: 'needs-attention' }] : [{ type: 'needs-assessment' }]),
      } as never,
      executionStatus: async (arn) => {
        asked.push(arn);
        return statuses[
          arn
            .split(':')
            .at(-1)!
            .replace(/^(discharge-planning|post-discharge-follow-up)-/, '')
            .replace(/-\d+$/, '')
        ]!;
      },
      openOperatorTask: async (request) => void opened.push(request),
      now: () => NOW,
    });
    expect(result).toEqual({ candidates: 6, notRunning: 3, opened: 2 });
    expect(opened).toEqual([
      expect.objectContaining({
        encounterId: 'stopped',
        state: 'Workflow not running',
        reason: expect.stringMatching(/awaiting-discharge-order.*discharge-planning workflow.*ABORTED/),
      }),
      expect.objectContaining({
        encounterId: 'following',
        state: 'Workflow not running',
        reason: expect.stringMatching(/discharged.*follow-up \(TCM\) workflow.*FAILED/),
      }),
    ]);
    // The run the stay is on now, not the first one; the follow-up by the name it keeps.
    expect(opened[0]!.executionArn).toMatch(/:execution:carepath-dev-discharge-planning:discharge-planning-stopped-2$/);
    expect(opened[1]!.executionArn).toMatch(/:execution:carepath-dev-post-discharge-follow-up:post-discharge-follow-up-following-3$/);
    expect(asked).toContain(`${FOLLOW_UP_MACHINE.replace(':stateMachine:', ':execution:')}:post-discharge-follow-up-followed-1`);
    expect(counted).toEqual([
      ['StaysWithoutRunningWorkflow', { workflow: 'discharge-planning' }, 2],
      ['StaysWithoutRunningWorkflow', { workflow: 'post-discharge-follow-up' }, 1],
    ]);
  });
});
