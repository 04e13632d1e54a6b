import { afterAll, describe, expect, it } from 'vitest';
import { planFollowUpStep } from '../../functions/plan-follow-up/handler';
import { sendSatisfactionSurvey } from '../../functions/send-satisfaction-survey/handler';
import { newTask } from '../../shared/domain/tasks';
import { encounterStore } from '../../shared/store/encounter-store';
import { patientStore } from '../../shared/store/patient-store';
import { taskStore } from '../../shared/store/task-store';
import type { StepDeps } from '../../shared/workflow/deps';
import { syntheticAdmission } from '../fixtures/admissions';
import { adt, firstEncounterOfMrn, msa, patientIdOfMrn, uniq } from '../fixtures/adt';
import { bookFollowUpVisit, etagFor, recordDischargeEssentials } from '../fixtures/discharge-planning';
import { api, localDynamo, localStack, sendAdt } from '../support/clients';

/**
 * Issue 16 items 1 and 2: a death — from the ADT feed (PV1-36 expired, PID-29/30) or the
 * physician's discharge order — marks the patient deceased, cancels future visits, stops the TCM
 * follow-up and the survey, and tells the care team once; a death or AMA closes moot tasks.
 */
const dynamo = localDynamo();
afterAll(() => dynamo.destroy());
const poll = { timeout: 25_000, interval: 200 };
const hl7 = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(0, 12);
const iso = (hl7Time: string) =>
  `${hl7Time.slice(0, 4)}-${hl7Time.slice(4, 6)}-${hl7Time.slice(6, 8)}T${hl7Time.slice(8, 10)}:${hl7Time.slice(10, 12)}:00.000Z`;
const ago = (ms: number) => new Date(Date.now() - ms);
const DAY = 86_400_000;

const encounter = async (id: string) => (await api('GET', `/v1/encounters/${id}`)).body;
const patient = async (id: string) => (await api('GET', `/v1/patients/${id}`)).body;
const tasksOf = async (encounterId: string, status: string) =>
  (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=${status}`)).body.items as any[];
const deathMessages = async (encounterId: string) =>
  ((await api('GET', `/v1/encounters/${encounterId}/care-team/messages`)).body.items as Array<{ author: string; body: string }>).filter(
    (m) => m.body.startsWith('Patient died'),
  );
const calendar = async (patientId: string) =>
  (
    await fetch(`${localStack().httpUrl}/v1/patients/${patientId}/appointments.ics`, {
      headers: { authorization: `Bearer ${localStack().tokens.F1}` },
    })
  ).text();
/** Cancelling again answers the appointment as it stands, unchanged (docs/api.md). */
const appointmentNow = async (appointmentId: string) =>
  (await api('POST', `/v1/appointments/${appointmentId}/cancel`, { reason: 'test read-back', by: 'test' })).body;

async function ack(message: string) {
  const { code, text } = msa((await sendAdt(message)).ack);
  expect(code, text).toBe('AA');
}

async function openTask(encounterId: string, type: string) {
  let task: any;
  await expect.poll(async () => (task = (await tasksOf(encounterId, 'open')).find((t) => t.type === type))?.type, poll).toBe(type);
  return task;
}
const complete = (taskId: string, data?: unknown) =>
  api('POST', `/v1/tasks/${taskId}/complete`, data ? { outcome: 'completed', data } : { outcome: 'completed' });

describe('a death reported by the ADT feed', () => {
  it('A03 with PV1-36 41 (expired in a medical facility) and no PID-29: deceased at PV1-45, future visit cancelled and out of the .ics, no survey, one message; resends and a later PID-29 add no second set', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    const admittedAt = hl7(ago(2 * DAY));
    await ack(adt({ event: 'A01', mrn, visit, at: admittedAt, admittedAt, family: 'Quillfeather', given: 'Orla' }));
    const encounterId = await firstEncounterOfMrn(mrn);
    const patientId = await patientIdOfMrn(mrn);
    const appointment = await bookFollowUpVisit(encounterId, 6);
    expect(await calendar(patientId)).toContain(`UID:${appointment.appointmentId}@carepath`);

    const diedAt = hl7(ago(30 * 60_000));
    const a03 = adt({ event: 'A03', mrn, visit, at: hl7(ago(20 * 60_000)), admittedAt, dischargedAt: diedAt, disposition: '41' });
    await ack(a03);

    await expect.poll(async () => (await patient(patientId)).deceased, poll).toBe(true);
    expect(await patient(patientId)).toMatchObject({ deceasedAt: iso(diedAt), death: { source: 'adt', timeFrom: 'discharge' } });
    const fhir = await api('GET', `/v1/fhir/Patient/${patientId}`);
    expect(fhir.body).toMatchObject({ resourceType: 'Patient', deceasedDateTime: iso(diedAt) });

    await expect.poll(async () => (await deathMessages(encounterId)).length, poll).toBe(1);
    expect(await appointmentNow(appointment.appointmentId)).toMatchObject({
      status: 'cancelled',
      cancel: { reason: 'patient died', by: 'carepath:death' },
    });
    expect(await calendar(patientId)).not.toContain(appointment.appointmentId);
    const [message] = await deathMessages(encounterId);
    expect(message).toMatchObject({ author: 'Carepath' });
    expect(message!.body).toContain('Cancelled: 1 future appointment(s)');

    // Planning closed after the death: no transition record, no follow-up, no survey.
    await expect.poll(async () => (await encounter(encounterId)).workflow?.status, poll).toBe('SUCCEEDED');
    const closed = await encounter(encounterId);
    expect(closed).toMatchObject({ status: 'discharged', discharge: { disposition: 'expired', dispositionCode: '41' } });
    expect(closed.satisfactionSurvey).toBeUndefined();
    expect(closed.followUp).toBeUndefined();

    // The same A03 again, the death re-sent under a new control id, and an A08 with the PID-29 time.
    await ack(a03);
    await ack(adt({ event: 'A03', mrn, visit, at: hl7(ago(19 * 60_000)), admittedAt, dischargedAt: diedAt, disposition: '41' }));
    const pid29 = hl7(ago(45 * 60_000));
    await ack(
      adt({
        event: 'A08',
        mrn,
        visit,
        at: hl7(ago(10 * 60_000)),
        admittedAt,
        deceasedAt: pid29,
        deathIndicator: 'Y',
        family: 'Quillfeather',
        given: 'Orla',
      }),
    );
    await expect.poll(async () => (await patient(patientId)).deceasedAt, poll).toBe(iso(pid29));
    // A booking after the death is refused.
    const again = await api('POST', `/v1/practitioners/dr-${uniq('x')}/slots`, {
      clinic: 'Synthetic Clinic',
      slots: [{ start: new Date(Date.now() + 5 * DAY).toISOString(), end: new Date(Date.now() + 5 * DAY + 1_800_000).toISOString() }],
      publishedBy: 'Scheduler Synthetic',
    });
    const refused = await api('POST', `/v1/encounters/${encounterId}/appointments`, {
      slotId: again.body.slots[0].slotId,
      reason: 'Follow-up',
      bookedBy: 'cm',
    });
    expect(refused.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await deathMessages(encounterId)).toHaveLength(1);
    expect((await patient(patientId)).deathEffects).toBe('done');
  });

  it('a death at home during the TCM window (A08 with PID-29/30): the follow-up stops, its tasks close, the sent survey is withdrawn, the later visit is cancelled', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    const admittedAt = hl7(ago(24 * DAY));
    const dischargedAt = hl7(ago(20 * DAY));
    await ack(adt({ event: 'A01', mrn, visit, at: admittedAt, admittedAt }));
    await ack(adt({ event: 'A03', mrn, visit, at: dischargedAt, admittedAt, dischargedAt, disposition: '01' }));
    const encounterId = await firstEncounterOfMrn(mrn);
    await patientIdOfMrn(mrn);
    // Contact and visit deadlines have passed; the survey is out; the execution waits for day 30.
    await expect.poll(async () => (await encounter(encounterId)).satisfactionSurvey?.status, poll).toBe('sent');
    await expect.poll(async () => (await encounter(encounterId)).followUpWorkflow?.status, poll).toBe('RUNNING');
    const appointment = await bookFollowUpVisit(encounterId, 4);

    const diedAt = hl7(ago(60 * 60_000));
    await ack(adt({ event: 'A08', mrn, visit, at: hl7(ago(30 * 60_000)), admittedAt, deceasedAt: diedAt, deathIndicator: 'Y' }));

    await expect.poll(async () => (await deathMessages(encounterId)).length, poll).toBe(1);
    const after = await encounter(encounterId);
    expect(after.satisfactionSurvey).toMatchObject({ status: 'withdrawn', withdrawnReason: 'patient died' });
    expect(after.followUp).toMatchObject({ status: 'closed', endedByDeathAt: iso(diedAt) });
    await expect.poll(async () => (await encounter(encounterId)).followUpWorkflow?.status, poll).toBe('ABORTED');
    expect((await tasksOf(encounterId, 'open')).filter((t) => ['follow-up-contact', 'follow-up-visit'].includes(t.type))).toEqual([]);
    expect(
      (await tasksOf(encounterId, 'cancelled'))
        .filter((t) => t.cancelReason === 'patient died')
        .map((t) => t.type)
        .sort(),
    ).toEqual(expect.arrayContaining(['follow-up-contact', 'follow-up-visit']));
    expect(await appointmentNow(appointment.appointmentId)).toMatchObject({ status: 'cancelled', cancel: { by: 'carepath:death' } });
    expect((await deathMessages(encounterId))[0]!.body).toContain(
      'stopped: 1 post-discharge follow-up(s); withdrawn: 1 satisfaction survey(s)',
    );
    const etag = await etagFor(encounterId, '/satisfaction-survey');
    const answered = await api(
      'PUT',
      `/v1/encounters/${encounterId}/satisfaction-survey`,
      { answers: { 'overall-rating': 9 }, answeredAt: new Date().toISOString(), channel: 'mail' },
      { 'if-match': etag },
    );
    expect(answered.status).toBe(409);
  });
  it('an A03 with PV1-36 20 as the first message for an unknown patient: registered deceased, and the team of the stay it creates is told once', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    const diedAt = hl7(ago(3 * 60 * 60_000));
    await ack(
      adt({
        event: 'A03',
        mrn,
        visit,
        at: hl7(ago(2 * 60 * 60_000)),
        admittedAt: hl7(ago(3 * DAY)),
        dischargedAt: diedAt,
        disposition: '20',
      }),
    );
    const patientId = await patientIdOfMrn(mrn);
    const encounterId = await firstEncounterOfMrn(mrn);
    await expect.poll(async () => (await deathMessages(encounterId)).length, poll).toBe(1);
    expect(await patient(patientId)).toMatchObject({ deceased: true, deceasedAt: iso(diedAt), deathEffects: 'done' });
  });

  it('a follow-up step that runs after the death (racing the stop) neither plans outreach nor sends the survey', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    const admittedAt = hl7(ago(5 * DAY));
    await ack(adt({ event: 'A01', mrn, visit, at: admittedAt, admittedAt }));
    await ack(adt({ event: 'A03', mrn, visit, at: hl7(ago(2 * DAY)), admittedAt, dischargedAt: hl7(ago(2 * DAY)), disposition: '06' }));
    const encounterId = await firstEncounterOfMrn(mrn);
    await expect.poll(async () => (await encounter(encounterId)).followUp?.status, poll).toBe('open');
    await ack(adt({ event: 'A08', mrn, visit, at: hl7(ago(5 * 60_000)), admittedAt, deceasedAt: hl7(ago(DAY)) }));
    await expect.poll(async () => (await encounter(encounterId)).followUp?.status, poll).toBe('closed');

    const deps = {
      encounters: encounterStore(dynamo, localStack().tableName),
      patients: patientStore(dynamo, localStack().tableName),
      now: () => new Date(),
    } as unknown as StepDeps;
    const executionArn = `arn:aws:states:us-east-1:000000000000:execution:carepath-dev-post-discharge-follow-up:${uniq('late')}`;
    expect(await sendSatisfactionSurvey({ encounterId, executionArn }, deps)).toEqual({ surveyId: null, withheld: 'patient died' });
    expect(await planFollowUpStep({ encounterId, executionArn }, { ...deps, holidaysOf: () => [], timeZoneOf: () => 'UTC' })).toMatchObject(
      { eligible: false, patientDied: true },
    );
    expect((await encounter(encounterId)).satisfactionSurvey).toBeUndefined();
  });
});

describe("a death or AMA through the physician's discharge order", () => {
  /** A JSON-API admission ready for discharge, with its visit booked; returns ids and the appointment. */
  async function readyForTheOrder() {
    const admitted = await api('POST', '/v1/encounters', syntheticAdmission({ admittedAt: ago(3 * DAY).toISOString() }));
    expect(admitted.status).toBe(201);
    const { encounterId, patientId } = admitted.body;
    await complete((await openTask(encounterId, 'needs-assessment')).taskId);
    await recordDischargeEssentials(encounterId, undefined, { bookVisit: false });
    const appointment = await bookFollowUpVisit(encounterId, 5);
    const order = await openTask(encounterId, 'discharge-order');
    // A task the discharge leaves with nobody to do it (opened as the workflow would).
    const pharmacist = newTask(
      {
        taskId: uniq('task'),
        facilityId: 'F1',
        encounterId,
        type: 'pharmacist-review',
        priority: 'urgent',
        dueAt: new Date(Date.now() + DAY).toISOString(),
        resumesWorkflow: false,
      },
      new Date(),
    );
    await taskStore(dynamo, localStack().tableName).openOnce(pharmacist);
    return { encounterId, patientId, appointment, order, pharmacistTaskId: pharmacist.taskId };
  }

  it('expired: recorded at once with the patient deceased at the order time, the visit cancelled, moot tasks closed, one message', async () => {
    const { encounterId, patientId, appointment, order, pharmacistTaskId } = await readyForTheOrder();
    const dischargeAt = ago(15 * 60_000).toISOString();
    expect((await complete(order.taskId, { disposition: 'expired', dischargeAt })).status).toBe(200);

    await expect.poll(async () => (await encounter(encounterId)).discharge?.disposition, poll).toBe('expired');
    await expect.poll(async () => (await patient(patientId)).deceased, poll).toBe(true);
    expect(await patient(patientId)).toMatchObject({ deceasedAt: dischargeAt, death: { source: 'discharge-order', encounterId } });
    expect((await api('GET', `/v1/fhir/Patient/${patientId}`)).body.deceasedDateTime).toBe(dischargeAt);
    await expect.poll(async () => (await deathMessages(encounterId)).length, poll).toBe(1);
    expect(await appointmentNow(appointment.appointmentId)).toMatchObject({ status: 'cancelled', cancel: { reason: 'patient died' } });
    expect(await calendar(patientId)).not.toContain(appointment.appointmentId);
    expect((await tasksOf(encounterId, 'cancelled')).find((t) => t.taskId === pharmacistTaskId)).toMatchObject({
      cancelReason: 'patient died',
    });
    await expect.poll(async () => (await encounter(encounterId)).workflow?.status, poll).toBe('SUCCEEDED');
    expect((await encounter(encounterId)).followUpWorkflow?.status ?? 'NOT_FOUND').toBe('NOT_FOUND');
  });

  it('left against medical advice: the moot task is closed with its reason; the patient is not deceased and the visit stays', async () => {
    const { encounterId, patientId, appointment, order, pharmacistTaskId } = await readyForTheOrder();
    expect((await complete(order.taskId, { disposition: 'left-against-medical-advice' })).status).toBe(200);
    await expect.poll(async () => (await encounter(encounterId)).discharge?.disposition, poll).toBe('left-against-medical-advice');
    await expect
      .poll(async () => (await tasksOf(encounterId, 'cancelled')).find((t) => t.taskId === pharmacistTaskId)?.cancelReason, poll)
      .toBe('patient left against medical advice');
    expect((await patient(patientId)).deceased).toBeUndefined();
    expect(await calendar(patientId)).toContain(`UID:${appointment.appointmentId}@carepath`);
  });
});
