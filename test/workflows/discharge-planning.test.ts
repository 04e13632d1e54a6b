import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { startDischargePlanning } from '../../shared/care/reactions/start-discharge-planning';
import { businessDaysAfter } from '../../shared/domain/business-days';
import { loadStageConfig } from '../../infra/config/stage';
import { newId } from '../../shared/ids';
import { encounterStore } from '../../shared/store/encounter-store';
import { afterAll, describe, expect, it } from 'vitest';
import { STATES } from '../../workflows/discharge-planning/definition';
import { DISCHARGE_PLANNING_PATHS } from '../../workflows/discharge-planning/paths';
import { answerReferrals, etagFor, HAPPY_PATH, recordDischargeEssentials } from '../fixtures/discharge-planning';
import { api, localDynamo, localSfn, localStack } from '../support/clients';
import { syntheticAdmission } from '../fixtures/admissions';

const sfn = localSfn();
const dynamo = localDynamo();
afterAll(() => {
  sfn.destroy();
  dynamo.destroy();
});

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
    expect(waiting.workflow.executionArn).toContain(`:discharge-planning-${encounterId}-1`);

    const completed = await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' });
    expect(completed).toMatchObject({ status: 200, body: { status: 'completed', outcome: 'completed' } });
    const twice = await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' });
    expect(twice.status).toBe(409);

    const order = await openTask(encounterId, 'discharge-order');
    expect(order.ownerRole).toBe('physician');
    const planned = await encounter(encounterId);
    expect(planned).toMatchObject({ status: 'awaiting-discharge-order', dischargePlan: { path: 'home', services: [] } });
    expect(planned.workflow.currentState).toBe(STATES.awaitOrder);

    await recordDischargeEssentials(encounterId);
    expect(await api('POST', `/v1/tasks/${order.taskId}/complete`, { outcome: 'completed' })).toMatchObject({ status: 200 });

    await expect.poll(async () => (await encounter(encounterId)).workflow?.status, poll).toBe('SUCCEEDED');
    const done = await encounter(encounterId);
    expect(done).toMatchObject({ status: 'discharged', discharge: { disposition: 'home' } });
    expect(done.workflow.currentState).toBe(STATES.done);

    const followUp = await openTask(encounterId, 'follow-up-contact');
    await expect.poll(async () => (await encounter(encounterId)).followUp?.contactTaskId, poll).toBe(followUp.taskId);
    expect(followUp.dueAt).toBe(
      businessDaysAfter(new Date(done.discharge.dischargedAt), 2, loadStageConfig('dev').facilityTimeZones[done.facilityId]!).toISOString(),
    );
    const closed = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=completed`)).body.items;
    expect(closed.map((t: { type: string; resume: string }) => [t.type, t.resume]).sort()).toEqual([
      ['discharge-order', 'delivered'],
      ['needs-assessment', 'delivered'],
    ]);

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
    // A misspelt field is refused, never read as "no needs".
    const misspelt = await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed', data: { need: ['meals'] } });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.issues).toContainEqual({ field: 'data.need', reason: 'unknown field' });

    const assessed = await api('POST', `/v1/tasks/${assessment.taskId}/complete`, {
      outcome: 'completed',
      data: { needs: ['home-health', 'durable-medical-equipment'], notes: 'Lives alone; needs a walker' },
    });
    expect(assessed.status).toBe(200);
    const choiceTask = await openTask(encounterId, 'patient-choice');
    const offered = await encounter(encounterId);
    expect(offered.dischargePlan).toMatchObject({ path: 'home-health', services: ['durable-medical-equipment'] });
    // Medicare-participating agencies serving F1, alphabetical (no steering), ratings beside them.
    expect(offered.choiceList.providers.map((p: { providerId: string }) => p.providerId)).toEqual([
      'hha-lakeview',
      'hha-riverside',
      'hha-summit',
    ]);
    expect(offered.choiceList.statement).toMatch(/free to choose/);
    const choiceEtag = await etagFor(encounterId, '/patient-choice');
    const offList = await api(
      'PUT',
      `/v1/encounters/${encounterId}/patient-choice`,
      { chosenProviderIds: ['hha-private'], recordedBy: 'CM' },
      { 'if-match': choiceEtag },
    );
    expect(offList.body.issues).toEqual([
      { field: 'chosenProviderIds.0', reason: 'is not on the list given (name a provider not on it as offListProvider)' },
    ]);
    const chose = await api(
      'PUT',
      `/v1/encounters/${encounterId}/patient-choice`,
      { chosenProviderIds: ['hha-riverside', 'hha-lakeview'], recordedBy: 'CM Synthetic' },
      { 'if-match': choiceEtag },
    );
    expect(chose.status).toBe(200);
    const notInPlan = await api(
      'PUT',
      `/v1/encounters/${encounterId}/service-arrangements`,
      { arrangements: [{ service: 'meals', status: 'arranged', provider: 'Meals Co', arrangedBy: 'CM' }] },
      { 'if-match': await etagFor(encounterId, '/service-arrangements') },
    );
    expect(notInPlan.body.issues).toEqual([
      { field: 'arrangements.0.service', reason: 'is not a service of the discharge plan (durable-medical-equipment)' },
    ]);
    await recordDischargeEssentials(encounterId);
    expect((await encounter(encounterId)).serviceArrangements).toEqual([
      expect.objectContaining({ service: 'durable-medical-equipment', status: 'arranged', provider: 'Synthetic Supplies' }),
    ]);
    await api('POST', `/v1/tasks/${choiceTask.taskId}/complete`, { outcome: 'completed' });
    // Both chosen agencies are asked at once; one declines, the other accepts.
    await answerReferrals(encounterId, [
      ['hha-lakeview', 'decline'],
      ['hha-riverside', 'accept'],
    ]);
    const order = await openTask(encounterId, 'discharge-order');
    const referrals = (await api('GET', `/v1/encounters/${encounterId}/referrals`)).body.items;
    expect(referrals.map((r: { providerId: string; status: string; round: number }) => [r.providerId, r.status, r.round])).toEqual([
      ['hha-lakeview', 'declined', 1],
      ['hha-riverside', 'accepted', 1],
    ]);
    expect(referrals[0].reason).toBe('No capacity this week');

    const beforeAdmission = await api('POST', `/v1/tasks/${order.taskId}/complete`, {
      outcome: 'completed',
      data: { dischargeAt: '2026-11-19T10:00:00Z' },
    });
    expect(beforeAdmission.status).toBe(400);
    expect(beforeAdmission.body.issues[0].field).toBe('data.dischargeAt');
    expect((await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items).toHaveLength(1);

    const ordered = await api('POST', `/v1/tasks/${order.taskId}/complete`, {
      outcome: 'completed',
      // As planned (an ordered path other than the plan's goes back to planning: discharge-order-routing.test.ts).
      data: { disposition: 'home-health', dischargeAt: '2026-11-23T11:30:00Z', orderedBy: 'Dr Synthetic' },
    });
    expect(ordered.status).toBe(200);
    await expect.poll(async () => (await encounter(encounterId)).status, poll).toBe('discharged');
    expect((await encounter(encounterId)).discharge).toEqual({
      disposition: 'home-health',
      dischargedAt: '2026-11-23T11:30:00.000Z',
      orderedBy: 'Dr Synthetic',
      // The signature is the token that completed the order (here the EHR relaying it), not the name.
      signedBy: { who: 'test-ehr-f1', roles: ['integration-client'] },
    });
    // Discharged Monday 11:30 → contact due by the end of Wednesday in F1's zone (New York, EST).
    expect((await openTask(encounterId, 'follow-up-contact')).dueAt).toBe('2026-11-26T04:59:59.999Z');
    // The transition record goes to the agency the patient chose first.
    await expect.poll(async () => (await encounter(encounterId)).workflow?.status, poll).toBe('SUCCEEDED');
    expect(await statesEntered((await encounter(encounterId)).workflow.executionArn)).toEqual(
      DISCHARGE_PLANNING_PATHS.declineThenAccept.states,
    );
    const sent = await api('GET', `/v1/encounters/${encounterId}/transition-record`);
    expect(sent.body.recipients).toEqual([{ kind: 'next-provider', providerId: 'hha-riverside', name: 'Riverside Home Health' }]);
  });

  it('refuses a completion for a stopped execution (409, issue 17 item 7), recording nothing and resuming nothing', async () => {
    const encounterId = await admit();
    const assessment = await openTask(encounterId, 'needs-assessment');
    const { workflow } = await encounter(encounterId);
    await sfn.send(new StopExecutionCommand({ executionArn: workflow.executionArn, error: 'Test.Stopped', cause: 'stopped by test' }));
    await expect.poll(async () => (await encounter(encounterId)).workflow.status, poll).toBe('ABORTED');

    // Another facility cannot see, let alone complete, the task.
    expect((await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' }, {}, 'F2')).status).toBe(404);
    const response = await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' });
    expect(response).toMatchObject({ status: 409, body: { message: expect.stringContaining('no longer running (ABORTED)') } });
    // The operator task and its idempotence: test/workflows/orphaned-tasks.test.ts.
    const tasks = (await api('GET', `/v1/tasks?encounterId=${encounterId}`)).body.items;
    expect(tasks.find((t: { taskId: string }) => t.taskId === assessment.taskId)).toMatchObject({ status: 'open' });
    expect((await encounter(encounterId)).status).toBe('assessment-pending');
  });

  it('fails in the step that failed, opens an operator task naming it, and goes on from that step when redriven', async () => {
    // An encounter whose patient record is missing: screening fails with NotFoundError.
    const orphan = newId();
    const now = new Date();
    await encounterStore(dynamo, localStack().tableName).admit({
      encounter: {
        encounterId: orphan,
        facilityId: 'F1',
        patientId: newId(),
        unit: '4W',
        class: 'outpatient',
        admissionType: 'elective',
        admittedAt: now.toISOString(),
        status: 'admitted',
        version: 1,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      },
    });
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: localStack().dischargePlanningArn,
        name: `${orphan}-names`,
        input: JSON.stringify({ encounterId: orphan }),
      }),
    );
    const describe = async () => sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    await expect.poll(async () => (await describe()).status, poll).toBe('FAILED');
    // The step's error by name (so Retry could match it), in the step itself: nothing caught it.
    expect(await describe()).toMatchObject({ error: 'NotFoundError', redriveStatus: 'REDRIVABLE' });
    expect((await statesEntered(started.executionArn!)).at(-1)).toBe(STATES.screen);

    // The execution-status event opened the operator task, naming the execution, the state and the error.
    const operatorTask = await openTask(orphan, 'needs-attention');
    expect(operatorTask).toMatchObject({ ownerRole: 'operator', priority: 'urgent' });
    expect(operatorTask.details).toEqual([
      expect.stringContaining(`"${STATES.screen}" failed after its retries`),
      `Execution: ${orphan}-names`,
      'Error: NotFoundError',
    ]);

    // The operator fixes the cause (the encounter now names a registered patient) and redrives.
    const registered = await encounter(await admit());
    await dynamo.send(
      new UpdateItemCommand({
        TableName: localStack().tableName,
        Key: { pk: { S: `ENCOUNTER#${orphan}` }, sk: { S: 'ENCOUNTER' } },
        UpdateExpression: 'SET patientId = :patient',
        ExpressionAttributeValues: { ':patient': { S: registered.patientId } },
      }),
    );
    await sfn.send(new RedriveExecutionCommand({ executionArn: started.executionArn }));
    // It goes on from screening (linking the workflow is not run again) to the care manager's assessment.
    await openTask(orphan, 'needs-assessment');
    expect(await describe()).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    const entered = await statesEntered(started.executionArn!);
    expect(entered.filter((state) => state === STATES.recordWorkflow)).toHaveLength(1);
    expect(entered.filter((state) => state === STATES.screen)).toHaveLength(2);
    expect(entered.at(-1)).toBe(STATES.awaitAssessment);
    await sfn.send(new StopExecutionCommand({ executionArn: started.executionArn }));

    // No encounter at all: the direct DynamoDB step fails with the service's error name.
    const missing = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: localStack().dischargePlanningArn,
        name: `${newId()}-missing`,
        input: JSON.stringify({ encounterId: newId() }),
      }),
    );
    await expect
      .poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn: missing.executionArn }))).status, poll)
      .toBe('FAILED');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: missing.executionArn }))).error).toBe(
      'DynamoDB.ConditionalCheckFailedException',
    );
  });
});

describe('starting discharge planning from the table stream', () => {
  const start = (encounterClass: string, encounterId: string) =>
    startDischargePlanning({ encounterId, class: encounterClass, status: 'admitted' } as never, {
      sfn,
      stateMachineArn: localStack().dischargePlanningArn,
    });
  const executionOf = (encounterId: string) =>
    sfn.send(
      new DescribeExecutionCommand({
        executionArn: `${localStack().dischargePlanningArn.replace(':stateMachine:', ':execution:')}:discharge-planning-${encounterId}-1`,
      }),
    );

  it('starts nothing for an emergency-department visit', async () => {
    const encounterId = newId();
    await start('emergency', encounterId);
    await expect(executionOf(encounterId)).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('starts once for an inpatient, however often the stream delivers the record', async () => {
    const encounterId = newId();
    await start('inpatient', encounterId);
    await start('inpatient', encounterId);
    expect((await executionOf(encounterId)).status).toBeDefined();
    const { executions } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: localStack().dischargePlanningArn, maxResults: 1000 }),
    );
    expect(executions?.filter((e) => e.name === `discharge-planning-${encounterId}-1`)).toHaveLength(1);
  });
});

describe('A13 with a plan on record', () => {
  it('reopens planning at the physician’s discharge order', async () => {
    const { adt, uniq } = await import('../fixtures/adt');
    const { sendAdt } = await import('../support/clients');
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    await sendAdt(adt({ event: 'A01', mrn, visit, at: '202611200800' }));
    let encounterId = '';
    await expect
      .poll(async () => {
        const found = await api('GET', `/v1/patients?identifier=${encodeURIComponent(`urn:hl7v2:authority:GENHOSP|${mrn}`)}`);
        const patientId = found.body.items[0]?.patientId;
        if (!patientId) return false;
        encounterId = (await api('GET', `/v1/patients/${patientId}/encounters`)).body.items[0]?.encounterId ?? '';
        return (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.length > 0;
      }, poll)
      .toBe(true);
    const [assessment] = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items;
    await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' });
    const order = await openTask(encounterId, 'discharge-order');
    await sendAdt(adt({ event: 'A03', mrn, visit, at: '202611221400', disposition: '01' }));
    await expect.poll(async () => (await encounter(encounterId)).workflow?.status, poll).toBe('SUCCEEDED');
    const closed = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=completed`)).body.items;
    expect(closed.find((t: { taskId: string }) => t.taskId === order.taskId)?.outcome).toBe('discharged');
    await sendAdt(adt({ event: 'A13', mrn, visit, at: '202611221500' }));
    const reopenedOrder = await openTask(encounterId, 'discharge-order');
    expect(reopenedOrder.taskId).not.toBe(order.taskId);
    expect((await encounter(encounterId)).status).toBe('awaiting-discharge-order');

    // Re-discharge: this time through the order, with what CMS wants on record.
    await recordDischargeEssentials(encounterId);
    await api('POST', `/v1/tasks/${reopenedOrder.taskId}/complete`, { outcome: 'completed', data: { disposition: 'home' } });
    await expect.poll(async () => (await encounter(encounterId)).workflow?.status, poll).toBe('SUCCEEDED');
    const again = await encounter(encounterId);
    expect(again).toMatchObject({ status: 'discharged', planningRun: 2, discharge: { disposition: 'home' } });
    expect(again.workflow.executionArn).toMatch(/:discharge-planning-[0-9a-f-]{36}-2$/);
    expect(await statesEntered(again.workflow.executionArn)).toEqual(DISCHARGE_PLANNING_PATHS.reopened.states);
    expect((await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.map((t: { type: string }) => t.type)).toEqual(
      expect.arrayContaining(['follow-up-contact', 'follow-up-visit']),
    );
  });
});
