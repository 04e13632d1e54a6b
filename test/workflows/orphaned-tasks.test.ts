/**
 * Issue 17 item 7(b): a task completion that cannot reach a waiting execution is refused (409,
 * naming why) and becomes one operator task; the hourly check finds stays whose status says
 * discharge planning or the TCM follow-up goes on while that execution does not run. Through the HTTP API and the
 * local schedules hook, with executions stopped through the Step Functions API.
 */
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { FOLLOW_UP_STATES } from '../../workflows/post-discharge-follow-up/definition';
import { syntheticAdmission } from '../fixtures/admissions';
import { adt, firstEncounterOfMrn, msa, uniq } from '../fixtures/adt';
import { api, localSfn, localStack, sendAdt } from '../support/clients';

const sfn = localSfn();
afterAll(() => sfn.destroy());

const poll = { timeout: 15_000, interval: 100 };
// The first admission of a run waits for cold starts along its way, on a machine shared with other suites.
const firstTask = { timeout: 45_000, interval: 200 };

type Task = { taskId: string; type: string; status: string; details?: string[] };
const tasksOf = async (encounterId: string, status?: string): Promise<Task[]> =>
  (await api('GET', `/v1/tasks?encounterId=${encounterId}${status ? `&status=${status}` : ''}`)).body.items;

/** An admitted stay waiting on its needs assessment: its open task and its execution. */
async function stayAwaitingAssessment(overrides: Record<string, unknown> = {}) {
  const encounterId = (await api('POST', '/v1/encounters', syntheticAdmission(overrides))).body.encounterId as string;
  await expect.poll(async () => (await tasksOf(encounterId, 'open')).map((t) => t.type), firstTask).toEqual(['needs-assessment']);
  const executionArn = (await api('GET', `/v1/encounters/${encounterId}`)).body.workflow.executionArn as string;
  const [task] = await tasksOf(encounterId, 'open');
  return { encounterId, executionArn, task: task! };
}

async function stop(executionArn: string) {
  await sfn.send(new StopExecutionCommand({ executionArn, error: 'Test.Stopped', cause: 'stopped by the test' }));
  await expect.poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, poll).toBe('ABORTED');
}

const operatorTasks = async (encounterId: string) => (await tasksOf(encounterId)).filter((t) => t.type === 'needs-attention');

describe('completing a task whose workflow is no longer running', () => {
  it('is 409 naming why, leaves the task open, and opens one operator task however often it is retried', { timeout: 90_000 }, async () => {
    const { encounterId, executionArn, task } = await stayAwaitingAssessment({ class: 'observation', admissionType: 'urgent' });
    await stop(executionArn);

    const body = { outcome: 'completed', data: { needs: ['home-health'] } };
    const first = await api('POST', `/v1/tasks/${task.taskId}/complete`, body, {}, { facility: 'F1', role: 'care-manager' });
    expect(first.status).toBe(409);
    expect(first.body.message).toMatch(/^The workflow waiting for this task is no longer running \(ABORTED\)/);

    const again = await api('POST', `/v1/tasks/${task.taskId}/complete`, body);
    expect(again.status).toBe(409);

    // Nothing was recorded: the task stays open for when the workflow is redriven.
    const stored = (await tasksOf(encounterId)).find((t) => t.taskId === task.taskId)!;
    expect(stored.status).toBe('open');
    const flagged = await operatorTasks(encounterId);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ status: 'open' });
    expect(flagged[0]!.details?.[0]).toMatch(
      /needs-assessment task was completed, but its workflow is not running: it was stopped \(ABORTED\)/,
    );
  });

  it('a running workflow still takes the completion (200) and opens no operator task', async () => {
    const { encounterId, task } = await stayAwaitingAssessment();
    const done = await api('POST', `/v1/tasks/${task.taskId}/complete`, { outcome: 'completed' });
    expect(done.status).toBe(200);
    await expect
      .poll(async () => (await tasksOf(encounterId)).find((t) => t.taskId === task.taskId) as unknown, poll)
      .toMatchObject({ resume: 'delivered' });
    expect(await operatorTasks(encounterId)).toEqual([]);
  });
});

describe('the hourly check of stays whose workflow should be running', () => {
  async function runCheck() {
    const response = await fetch(`${localStack().httpUrl}/_local/schedules/carepath-dev-stay-workflow-check/run`, { method: 'POST' });
    expect(response.status).toBe(200);
    return ((await response.json()) as { results: Array<{ candidates: number; notRunning: number; opened: number }> }).results[0]!;
  }

  it('opens one operator task for a stay whose execution was stopped, again and again none more, and none for a healthy stay', async () => {
    const healthy = await stayAwaitingAssessment();
    const stopped = await stayAwaitingAssessment({ admittedAt: '2026-11-28T23:40:00Z' });
    await stop(stopped.executionArn);

    const first = await runCheck();
    expect(first.notRunning).toBeGreaterThanOrEqual(1);
    const flagged = await operatorTasks(stopped.encounterId);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.details?.[0]).toMatch(
      /^The stay is assessment-pending but its discharge-planning workflow is not running: it was stopped \(ABORTED\)/,
    );
    expect(await operatorTasks(healthy.encounterId)).toEqual([]);

    await runCheck();
    expect(await operatorTasks(stopped.encounterId)).toHaveLength(1);
    expect(await operatorTasks(healthy.encounterId)).toEqual([]);
  });

  /** A stay discharged home by the ADT feed moments ago: its follow-up open and waiting for the contact deadline. */
  async function stayInFollowUp() {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    const hl7 = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(0, 12);
    const now = Date.now();
    const [admittedAt, dischargedAt] = [hl7(new Date(now - 2 * 86_400_000)), hl7(new Date(now - 5 * 60_000))];
    expect(msa((await sendAdt(adt({ event: 'A01', mrn, visit, at: admittedAt, admittedAt }))).ack).code).toBe('AA');
    expect(msa((await sendAdt(adt({ event: 'A03', mrn, visit, at: dischargedAt, dischargedAt, disposition: '01' }))).ack).code).toBe('AA');
    const encounterId = await firstEncounterOfMrn(mrn);
    await expect
      .poll(async () => (await api('GET', `/v1/encounters/${encounterId}`)).body.followUpWorkflow?.currentState, firstTask)
      .toBe(FOLLOW_UP_STATES.waitContact);
    const stay = (await api('GET', `/v1/encounters/${encounterId}`)).body;
    expect(stay.followUp.status).toBe('open');
    return { encounterId, executionArn: stay.followUpWorkflow.executionArn as string };
  }

  it('does the same for a discharged stay whose TCM follow-up is open while its execution was stopped, and leaves a running follow-up alone', {
    timeout: 120_000,
  }, async () => {
    const healthy = await stayInFollowUp();
    const stopped = await stayInFollowUp();
    await stop(stopped.executionArn);

    await runCheck();
    const flagged = await operatorTasks(stopped.encounterId);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.details?.[0]).toMatch(
      /^The stay is discharged but its post-discharge follow-up \(TCM\) workflow is not running: it was stopped \(ABORTED\)/,
    );
    expect(await operatorTasks(healthy.encounterId)).toEqual([]);

    await runCheck();
    expect(await operatorTasks(stopped.encounterId)).toHaveLength(1);
  });
});
