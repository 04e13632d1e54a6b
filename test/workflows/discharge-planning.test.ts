import { GetExecutionHistoryCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { STATES } from '../../workflows/discharge-planning/definition';
import { HAPPY_PATH } from '../fixtures/discharge-planning';
import { api, localSfn } from '../support/clients';
import { syntheticAdmission } from '../fixtures/admissions';

const sfn = localSfn();
afterAll(() => sfn.destroy());

const poll = { timeout: 15_000, interval: 100 };

async function admit(overrides: Record<string, unknown> = {}) {
  const response = await api('POST', '/v1/encounters', syntheticAdmission(overrides));
  expect(response.status).toBe(201);
  return response.body.encounterId as string;
}

async function openTask(encounterId: string, type: string) {
  let task: any;
  await expect
    .poll(async () => {
      const response = await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`);
      task = response.body.items.find((item: { type: string }) => item.type === type);
      return task?.type;
    }, poll)
    .toBe(type);
  return task;
}

async function encounter(encounterId: string) {
  return (await api('GET', `/v1/encounters/${encounterId}`)).body;
}

async function statesEntered(executionArn: string): Promise<string[]> {
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return (history.events ?? []).flatMap((event) => (event.stateEnteredEventDetails?.name ? [event.stateEnteredEventDetails.name] : []));
}

describe('discharge planning, admission to follow-up, through the HTTP API', () => {
  it('admits, waits for two people, discharges home and schedules the follow-up contact', async () => {
    const encounterId = await admit();

    const assessment = await openTask(encounterId, 'needs-assessment');
    expect(assessment).toMatchObject({ status: 'open', ownerRole: 'care-manager', priority: 'urgent' });
    expect(assessment).not.toHaveProperty('taskToken');

    const waiting = await encounter(encounterId);
    expect(waiting.status).toBe('assessment-pending');
    expect(waiting.screening).toMatchObject({ screenedIn: true, reasons: ['age 65 or older', 'emergency admission'] });
    expect(waiting.workflow).toMatchObject({ status: 'RUNNING', currentState: STATES.awaitAssessment });
    expect(waiting.workflow.executionArn).toContain(`:${encounterId}-discharge-planning`);

    const completed = await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' });
    expect(completed).toMatchObject({ status: 200, body: { status: 'completed', outcome: 'completed' } });
    const twice = await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' });
    expect(twice.status).toBe(409);

    const order = await openTask(encounterId, 'discharge-order');
    expect(order.ownerRole).toBe('physician');
    const planned = await encounter(encounterId);
    expect(planned).toMatchObject({ status: 'awaiting-discharge-order', dischargePlan: { path: 'home', services: [] } });
    expect(planned.workflow.currentState).toBe(STATES.awaitOrder);

    expect((await api('POST', `/v1/tasks/${order.taskId}/complete`, { outcome: 'completed' })).status).toBe(200);

    await expect.poll(async () => (await encounter(encounterId)).workflow?.status, poll).toBe('SUCCEEDED');
    const done = await encounter(encounterId);
    expect(done).toMatchObject({ status: 'discharged', discharge: { disposition: 'home' } });
    expect(done.workflow.currentState).toBe(STATES.done);

    const followUp = await openTask(encounterId, 'follow-up-contact');
    expect(done.followUpTaskId).toBe(followUp.taskId);
    expect(new Date(followUp.dueAt).getTime()).toBeGreaterThan(new Date(done.discharge.dischargedAt).getTime());

    // Resumed once each: no state entered twice, none skipped.
    expect(await statesEntered(waiting.workflow.executionArn)).toEqual(HAPPY_PATH);
  });

  it('plans home health from the assessed needs and takes the physician’s disposition and time', async () => {
    const encounterId = await admit({ admissionType: 'elective', patient: { ...syntheticAdmission().patient, birthDate: '1990-06-01' } });
    const assessment = await openTask(encounterId, 'needs-assessment');
    expect(assessment.priority).toBe('routine');

    const bad = await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed', data: { needs: ['a-pony'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].field).toBe('data.needs.0');

    await api('POST', `/v1/tasks/${assessment.taskId}/complete`, {
      outcome: 'completed',
      data: { needs: ['home-health', 'durable-medical-equipment'], notes: 'Lives alone; needs a walker' },
    });
    const order = await openTask(encounterId, 'discharge-order');
    expect((await encounter(encounterId)).dischargePlan).toMatchObject({ path: 'home-health', services: ['durable-medical-equipment'] });

    const beforeAdmission = await api('POST', `/v1/tasks/${order.taskId}/complete`, {
      outcome: 'completed',
      data: { dischargeAt: '2026-11-19T10:00:00Z' },
    });
    expect(beforeAdmission.status).toBe(400);
    expect(beforeAdmission.body.issues[0].field).toBe('data.dischargeAt');
    expect((await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items).toHaveLength(1);

    await api('POST', `/v1/tasks/${order.taskId}/complete`, {
      outcome: 'completed',
      data: { disposition: 'skilled-nursing', dischargeAt: '2026-11-23T11:30:00Z', orderedBy: 'Dr Synthetic' },
    });
    await expect.poll(async () => (await encounter(encounterId)).status, poll).toBe('discharged');
    expect((await encounter(encounterId)).discharge).toEqual({
      disposition: 'skilled-nursing',
      dischargedAt: '2026-11-23T11:30:00.000Z',
      orderedBy: 'Dr Synthetic',
    });
    // Discharged Monday 11:30 → contact due by the end of Wednesday.
    expect((await openTask(encounterId, 'follow-up-contact')).dueAt).toBe('2026-11-25T23:59:59.999Z');
  });

  it('cancels the task, rather than resuming anything, when the execution was stopped', async () => {
    const encounterId = await admit();
    const assessment = await openTask(encounterId, 'needs-assessment');
    const { workflow } = await encounter(encounterId);
    await sfn.send(new StopExecutionCommand({ executionArn: workflow.executionArn, error: 'Test.Stopped', cause: 'stopped by test' }));
    await expect.poll(async () => (await encounter(encounterId)).workflow.status, poll).toBe('ABORTED');

    const response = await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' });
    expect(response.status).toBe(409);
    const cancelled = await api('GET', `/v1/tasks?encounterId=${encounterId}&status=cancelled`);
    expect(cancelled.body.items.map((t: { taskId: string }) => t.taskId)).toEqual([assessment.taskId]);
  });

  it('does not start discharge planning for an emergency-department visit', async () => {
    const emergency = await admit({ class: 'emergency' });
    const inpatient = await admit();
    // The inpatient admitted after it has its workflow, so the stream has passed the ED visit.
    await openTask(inpatient, 'needs-assessment');
    const visit = await encounter(emergency);
    expect(visit.workflow).toBeNull();
    expect((await api('GET', `/v1/tasks?encounterId=${emergency}`)).body.items).toEqual([]);
  });
});
