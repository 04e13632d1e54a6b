import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { STATES } from '../../workflows/discharge-planning/definition';
import { DISCHARGE_PLANNING_PATHS as PATHS } from '../../workflows/discharge-planning/paths';
import { syntheticAdmission } from '../fixtures/admissions';
import { answerReferrals, editStay, etagFor, recordDischargeEssentials, SAFE_MEDICATIONS } from '../fixtures/discharge-planning';
import { api, localSfn } from '../support/clients';

/**
 * Issue 16 items 1, 6 and 8: where the physician's discharge order sends planning (a death or a
 * departure against advice at once; an ordered post-acute path back to the choice list), and a
 * choice list nobody in the directory is on.
 */
const sfn = localSfn();
afterAll(() => sfn.destroy());
const poll = { timeout: 20_000, interval: 150 };
type Facility = 'F1' | 'F2';

const encounter = async (id: string, as: Facility = 'F1') => (await api('GET', `/v1/encounters/${id}`, undefined, {}, as)).body;
const tasksOf = async (id: string, status: string, as: Facility = 'F1') =>
  (await api('GET', `/v1/tasks?encounterId=${id}&status=${status}`, undefined, {}, as)).body.items as Array<{
    taskId: string;
    type: string;
    details?: string[];
  }>;
const complete = (taskId: string, data?: unknown, as: Facility = 'F1') =>
  api('POST', `/v1/tasks/${taskId}/complete`, data ? { outcome: 'completed', data } : { outcome: 'completed' }, {}, as);

async function openTask(encounterId: string, type: string, as: Facility = 'F1') {
  let task: { taskId: string; type: string; details?: string[] } | undefined;
  await expect
    .poll(async () => {
      task = (await tasksOf(encounterId, 'open', as)).find((t) => t.type === type);
      return task?.type;
    }, poll)
    .toBe(type);
  return task!;
}

async function finished(encounterId: string, as: Facility = 'F1') {
  await expect.poll(async () => (await encounter(encounterId, as)).workflow?.status, poll).toBe('SUCCEEDED');
  return encounter(encounterId, as);
}

async function statesEntered(encounterId: string, as: Facility = 'F1'): Promise<string[]> {
  const { workflow } = await encounter(encounterId, as);
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: workflow.executionArn, maxResults: 1000 }));
  return (history.events ?? []).flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
}

async function admitAndAssess(needs: string[], overrides: Record<string, unknown> = {}, as: Facility = 'F1') {
  const admitted = await api('POST', '/v1/encounters', syntheticAdmission({ facilityId: as, ...overrides }), {}, as);
  expect(admitted.status).toBe(201);
  const encounterId = admitted.body.encounterId as string;
  expect((await complete((await openTask(encounterId, 'needs-assessment', as)).taskId, { needs }, as)).status).toBe(200);
  return encounterId;
}

/** What 482.43 wants on record for a stay in F2 going to a facility (no follow-up visit booked by the hospital). */
async function recordDischargeEssentialsIn(encounterId: string, as: Facility = 'F2') {
  const edit = (path: string, body: unknown) => editStay(encounterId, 'PUT', path, body, as);
  expect(
    (
      await edit('/goals-and-preferences', {
        goals: ['Breathe without the ventilator'],
        treatmentPreferences: ['Near family'],
        preferredLanguage: 'en',
        interpreterNeeded: false,
        recordedBy: 'CM Synthetic',
      })
    ).status,
  ).toBe(200);
  expect((await edit('/medication-reconciliation', { medications: SAFE_MEDICATIONS, reconciledBy: 'PharmD Synthetic' })).status).toBe(200);
  const item = await api(
    'POST',
    `/v1/encounters/${encounterId}/education`,
    { topic: 'Tracheostomy care', audience: 'caregiver', language: 'en', method: 'demonstration' },
    {},
    as,
  );
  expect(item.status).toBe(201);
  const understood = await api(
    'PUT',
    `/v1/encounters/${encounterId}/education/${item.body.itemId}/teach-back`,
    { outcome: 'understood', educator: 'RN Synthetic' },
    { 'if-match': item.headers.get('etag')! },
    as,
  );
  expect(understood.status).toBe(200);
}

describe("a death or a departure against advice through the physician's discharge order (item 1)", () => {
  it('records a death at once: no requirement check, nobody asked for teach-back or a visit, planning closed', async () => {
    // Planned home with meals; nothing of 482.43 on the record when the patient dies.
    const encounterId = await admitAndAssess(['meals'], { admittedAt: '2026-11-28T22:15:00Z', admissionType: 'urgent' });
    const order = await openTask(encounterId, 'discharge-order');
    const diedAt = new Date(Date.now() - 40 * 60_000).toISOString();
    expect(
      (await complete(order.taskId, { disposition: 'expired', dischargeAt: diedAt, orderedBy: 'Dr Synthetic Hospitalist' })).status,
    ).toBe(200);

    const done = await finished(encounterId);
    expect(done.discharge).toMatchObject({ disposition: 'expired', dischargedAt: diedAt });
    const entered = await statesEntered(encounterId);
    expect(entered).toEqual(PATHS.deathByOrder.states);
    expect(entered).not.toContain(STATES.checkRequirements);
    // The readiness check never ran: nothing was listed as missing for a patient who died.
    expect(done.dischargeReadiness).toBeUndefined();
    const opened = [
      ...(await tasksOf(encounterId, 'open')),
      ...(await tasksOf(encounterId, 'completed')),
      ...(await tasksOf(encounterId, 'cancelled')),
    ].map((t) => t.type);
    expect(opened).not.toContain('discharge-requirements');
    expect(opened).not.toContain('pharmacist-review');
    expect(opened).not.toContain('follow-up-contact');
  });

  it('records a departure against advice at once; the transition record still goes out and the follow-up runs', async () => {
    const encounterId = await admitAndAssess([], {
      admissionType: 'elective',
      patient: { ...syntheticAdmission().patient, birthDate: '1988-09-14', sex: 'male' },
    });
    const order = await openTask(encounterId, 'discharge-order');
    expect((await complete(order.taskId, { disposition: 'left-against-medical-advice' })).status).toBe(200);

    const done = await finished(encounterId);
    expect(done.discharge.disposition).toBe('left-against-medical-advice');
    expect(await statesEntered(encounterId)).toEqual(PATHS.leftAgainstAdviceByOrder.states);
    await openTask(encounterId, 'follow-up-contact');
    const types = [...(await tasksOf(encounterId, 'open')), ...(await tasksOf(encounterId, 'completed'))].map((t) => t.type);
    expect(types).toEqual(expect.arrayContaining(['follow-up-contact', 'follow-up-visit', 'discharge-order', 'needs-assessment']));
    expect(types).not.toContain('discharge-requirements');
    expect((await api('GET', `/v1/encounters/${encounterId}/transition-record`)).status).toBe(200);
  });
});

describe('the readiness check follows the order, not the plan (item 6)', () => {
  it('planned home with services, ordered to inpatient rehab: the plan follows the order, the choice list is given, the referral accepted, then discharged on the same order', async () => {
    const encounterId = await admitAndAssess(['meals', 'transportation']);
    const order = await openTask(encounterId, 'discharge-order');
    expect((await encounter(encounterId)).dischargePlan.path).toBe('home-with-services');
    // Everything the home plan needed, the visit included.
    await recordDischargeEssentials(encounterId);
    expect((await complete(order.taskId, { disposition: 'inpatient-rehab', orderedBy: 'Dr Synthetic Physiatrist' })).status).toBe(200);

    const choiceTask = await openTask(encounterId, 'patient-choice');
    const replanned = await encounter(encounterId);
    expect(replanned.status).not.toBe('discharged');
    expect(replanned.dischargePlan).toMatchObject({
      path: 'inpatient-rehab',
      revisedFrom: 'home-with-services',
      revisedForOrder: order.taskId,
      services: ['meals', 'transportation'],
    });
    expect(replanned.dischargeReadiness.missing.map((m: { element: string }) => m.element)).toEqual(['patientChoice']);
    expect(replanned.choiceList).toMatchObject({
      path: 'inpatient-rehab',
      providerType: 'inpatient-rehab-facility',
      providers: [{ providerId: 'irf-northside' }],
    });
    expect(choiceTask.details![0]).toMatch(/inpatient-rehab-facility/);

    expect(
      (await editStay(encounterId, 'PUT', '/patient-choice', { chosenProviderIds: ['irf-northside'], recordedBy: 'CM Synthetic' })).status,
    ).toBe(200);
    await complete(choiceTask.taskId);
    await answerReferrals(encounterId, [['irf-northside', 'accept']]);

    const done = await finished(encounterId);
    expect(done.discharge).toMatchObject({ disposition: 'inpatient-rehab', orderedBy: 'Dr Synthetic Physiatrist' });
    expect(await statesEntered(encounterId)).toEqual(PATHS.orderChangesPath.states);
    // One order: the physician was not asked again.
    expect((await tasksOf(encounterId, 'completed')).filter((t) => t.type === 'discharge-order')).toHaveLength(1);
    expect((await api('GET', `/v1/encounters/${encounterId}/transition-record`)).body.recipients[0]).toEqual({
      kind: 'next-provider',
      providerId: 'irf-northside',
      name: 'Northside Rehabilitation Hospital',
    });
  });

  it('planned home health with an agency placed, ordered to skilled nursing: the agency is withdrawn and the nursing facility the patient chooses gets the referral and the record', async () => {
    const encounterId = await admitAndAssess(['home-health']);
    const hhaChoice = await openTask(encounterId, 'patient-choice');
    expect(
      (await editStay(encounterId, 'PUT', '/patient-choice', { chosenProviderIds: ['hha-summit'], recordedBy: 'CM Synthetic' })).status,
    ).toBe(200);
    await complete(hhaChoice.taskId);
    await answerReferrals(encounterId, [['hha-summit', 'accept']]);
    const order = await openTask(encounterId, 'discharge-order');
    await recordDischargeEssentials(encounterId, undefined, { bookVisit: false });
    await complete(order.taskId, { disposition: 'skilled-nursing' });

    let snfChoice = hhaChoice;
    await expect
      .poll(async () => {
        snfChoice = (await tasksOf(encounterId, 'open')).find((t) => t.type === 'patient-choice') ?? hhaChoice;
        return snfChoice.taskId !== hhaChoice.taskId;
      }, poll)
      .toBe(true);
    const replanned = await encounter(encounterId);
    expect(replanned.dischargePlan).toMatchObject({ path: 'skilled-nursing', revisedFrom: 'home-health' });
    expect(replanned.choiceList.providers.map((p: { providerId: string }) => p.providerId)).toEqual(['snf-maple', 'snf-oakwood']);
    // The agency chosen is no choice of nursing facility.
    expect(replanned.patientChoice).toBeUndefined();
    expect(
      (await editStay(encounterId, 'PUT', '/patient-choice', { chosenProviderIds: ['snf-maple'], recordedBy: 'CM Synthetic' })).status,
    ).toBe(200);
    await complete(snfChoice.taskId);
    const referrals = await answerReferrals(encounterId, [['snf-maple', 'accept']]);
    expect(referrals.map((r) => [r.providerId, r.status])).toEqual(
      expect.arrayContaining([
        ['hha-summit', 'withdrawn'],
        ['snf-maple', 'accepted'],
      ]),
    );

    const done = await finished(encounterId);
    expect(done.discharge.disposition).toBe('skilled-nursing');
    expect((await api('GET', `/v1/encounters/${encounterId}/transition-record`)).body.recipients[0]).toMatchObject({
      providerId: 'snf-maple',
    });
  });
});

describe('an empty post-acute directory (item 8)', () => {
  it("gives the care manager the empty list as a task, records the patient's own provider, refers it and goes on to the order", async () => {
    // No long-term care hospital in the directory serves F2.
    const encounterId = await admitAndAssess(['long-term-acute-care'], {}, 'F2');
    const choiceTask = await openTask(encounterId, 'patient-choice', 'F2');
    expect(choiceTask.details![0]).toMatch(/No long-term-care-hospital in the directory serves this facility/);
    const offered = await encounter(encounterId, 'F2');
    expect(offered.choiceList).toMatchObject({ path: 'long-term-care-hospital', providers: [] });
    const ifMatch = await etagFor(encounterId, '/patient-choice', 'F2');
    const put = (body: unknown) => api('PUT', `/v1/encounters/${encounterId}/patient-choice`, body, { 'if-match': ifMatch }, 'F2');

    const declined = await put({ declinedToChoose: true, recordedBy: 'CM Synthetic' });
    expect(declined.status).toBe(400);
    expect(declined.body.issues).toEqual([
      { field: 'offListProvider', reason: expect.stringMatching(/no provider on the list serves this facility/) },
    ]);
    const badNpi = await put({
      offListProvider: { name: 'Prairie Ventilator Hospital', phone: '+1 555 0187', npi: '1306849451' },
      recordedBy: 'CM Synthetic',
    });
    expect(badNpi.body.issues).toEqual([
      { field: 'offListProvider.npi', reason: 'is not a valid NPI (10 digits with the CMS check digit)' },
    ]);
    const noPhone = await put({ offListProvider: { name: 'Prairie Ventilator Hospital' }, recordedBy: 'CM Synthetic' });
    expect(noPhone.status).toBe(400);
    expect(noPhone.body.issues[0].field).toBe('offListProvider.phone');
    const chose = await put({
      offListProvider: { name: 'Prairie Ventilator Hospital', phone: '+1 555 0187', npi: '1306849450', address: '12 Synthetic Way' },
      recordedBy: 'CM Synthetic',
    });
    expect(chose.status).toBe(200);
    expect(chose.body.patientChoice.offListProvider).toMatchObject({ name: 'Prairie Ventilator Hospital', npi: '1306849450' });
    await complete(choiceTask.taskId, undefined, 'F2');

    // The care manager refers it (outside Carepath) and records its answer.
    let referralId = '';
    await expect
      .poll(async () => {
        const items = (await api('GET', `/v1/encounters/${encounterId}/referrals`, undefined, {}, 'F2')).body.items as Array<{
          providerId: string;
          status: string;
          referralId: string;
          providerName: string;
        }>;
        const sent = items.find((r) => r.status === 'sent');
        referralId = sent?.referralId ?? '';
        return sent && [sent.providerId, sent.providerName];
      }, poll)
      .toEqual(['off-list-1306849450', 'Prairie Ventilator Hospital']);
    const accepted = await api(
      'POST',
      `/v1/encounters/${encounterId}/referrals/${referralId}/answer`,
      { answer: 'accept', answeredBy: 'CM Synthetic (phoned intake)' },
      {},
      'F2',
    );
    expect(accepted.status).toBe(200);

    const order = await openTask(encounterId, 'discharge-order', 'F2');
    expect((await encounter(encounterId, 'F2')).workflow.status).toBe('RUNNING');
    await recordDischargeEssentialsIn(encounterId);
    await complete(order.taskId, { disposition: 'long-term-care-hospital' }, 'F2');
    const done = await finished(encounterId, 'F2');
    expect(done.discharge.disposition).toBe('long-term-care-hospital');
    expect(await statesEntered(encounterId, 'F2')).toEqual(PATHS.emptyDirectory.states);
    expect((await api('GET', `/v1/encounters/${encounterId}/transition-record`, undefined, {}, 'F2')).body.recipients[0]).toEqual({
      kind: 'next-provider',
      providerId: 'off-list-1306849450',
      name: 'Prairie Ventilator Hospital',
    });
  });
});
