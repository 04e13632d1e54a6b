import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { editStay, etagFor, recordDischargeEssentials } from '../fixtures/discharge-planning';
import { api, type Who } from '../support/clients';
import { TRANSFER_STATES } from '../../workflows/transfer/definition';

/**
 * Issue 16 item 5 beyond medications: who did something comes from the verified token. A body
 * that names a role is 400 naming `role`; a name in the body (`clinician`, `recordedBy`,
 * `orderingPractitioner`, `author` …) is kept as a display attribution beside `by`, the token's
 * client and roles, and grants nothing (docs/clinical-safety.md, ID- rows).
 */
const nurse: Who = { facility: 'F1', role: 'nurse', username: 'rn-okafor' };
const physician: Who = { facility: 'F1', role: 'physician', username: 'md-lindqvist' };
const socialWorker: Who = { facility: 'F1', role: 'social-worker', username: 'sw-haddad' };
const careManager: Who = { facility: 'F1', role: 'care-manager', username: 'cm-moreau' };
const poll = { timeout: 25_000, interval: 200 };

async function outpatientVisit() {
  const { body } = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }));
  return body.encounterId as string;
}
const byToken = (username: string, role: string) => ({ who: expect.stringMatching(new RegExp(`/${username}$`)), roles: [role] });

describe('risk tier override: the clinician is the token', () => {
  it("refuses a body role (400 naming it) and records a nurse's override as the nurse's, whatever name the body gives", async () => {
    const id = await outpatientVisit();
    const inputs = await api(
      'PUT',
      `/v1/encounters/${id}/risk-inputs`,
      { conditions: ['J44.1'], edVisitsPrior6Months: 1 },
      { 'if-match': await etagFor(id, '/risk-inputs') },
    );
    expect(inputs.status).toBe(200);
    const ifMatch = { 'if-match': inputs.headers.get('etag')! };
    const claimed = await api(
      'PUT',
      `/v1/encounters/${id}/risk-override`,
      { tier: 'low', reason: 'Stable COPD, lives with spouse', role: 'physician' },
      ifMatch,
      nurse,
    );
    expect(claimed.status).toBe(400);
    expect(claimed.body.issues).toEqual([{ field: 'role', reason: expect.stringMatching(/comes from the token/) }]);
    const overridden = await api(
      'PUT',
      `/v1/encounters/${id}/risk-override`,
      { tier: 'low', reason: 'Stable COPD, lives with spouse', clinician: 'Dr Attending Synthetic' },
      ifMatch,
      nurse,
    );
    expect(overridden.status).toBe(200);
    expect(overridden.body.override).toMatchObject({ tier: 'low', by: byToken('rn-okafor', 'nurse'), clinician: 'Dr Attending Synthetic' });
  });
});

describe('goals of care, needs assessment, orders: recorded as the token', () => {
  it("goals of care: a nurse cannot record them (403); a body role is 400; the physician's token is `by`, `recordedBy` only a name", async () => {
    const id = await outpatientVisit();
    const goals = { level: 'selective-treatment', codeStatus: 'dnr', recordedBy: 'Dr Somebody Else' };
    expect(
      (await api('PUT', `/v1/encounters/${id}/goals-of-care`, goals, { 'if-match': await etagFor(id, '/goals-of-care') }, nurse)).status,
    ).toBe(403);
    const claimed = await api(
      'PUT',
      `/v1/encounters/${id}/goals-of-care`,
      { ...goals, role: 'physician' },
      { 'if-match': await etagFor(id, '/goals-of-care') },
    );
    expect(claimed).toMatchObject({ status: 400, body: { issues: [{ field: 'role' }] } });
    const recorded = await api(
      'PUT',
      `/v1/encounters/${id}/goals-of-care`,
      goals,
      { 'if-match': await etagFor(id, '/goals-of-care') },
      physician,
    );
    expect(recorded).toMatchObject({
      status: 200,
      body: { codeStatus: 'dnr', recordedBy: 'Dr Somebody Else', by: byToken('md-lindqvist', 'physician') },
    });
  });

  it("needs assessment and a suggestion decision: the social worker's token is `by`; names in the body are display only", async () => {
    const id = await outpatientVisit();
    const body = { domains: { functional: { findings: ['fall-risk'] } }, assessedBy: 'Someone Senior' };
    const claimed = await api(
      'PUT',
      `/v1/encounters/${id}/needs-assessment`,
      { ...body, role: 'care-manager' },
      { 'if-match': await etagFor(id, '/needs-assessment') },
      socialWorker,
    );
    expect(claimed).toMatchObject({ status: 400, body: { issues: [{ field: 'role' }] } });
    const assessed = await api(
      'PUT',
      `/v1/encounters/${id}/needs-assessment`,
      body,
      { 'if-match': await etagFor(id, '/needs-assessment') },
      socialWorker,
    );
    expect(assessed).toMatchObject({ status: 200, body: { assessedBy: 'Someone Senior', by: byToken('sw-haddad', 'social-worker') } });
    const service = assessed.body.suggestions[0].service as string;
    const decided = await api(
      'PUT',
      `/v1/encounters/${id}/needs-assessment/suggestions/${service}`,
      { outcome: 'accepted', decidedBy: 'The Director' },
      { 'if-match': assessed.headers.get('etag')! },
      careManager,
    );
    expect(decided.status).toBe(200);
    expect(decided.body.suggestions[0].decision).toMatchObject({
      outcome: 'accepted',
      decidedBy: 'The Director',
      by: byToken('cm-moreau', 'care-manager'),
    });
  });

  it('an order: `orderingPractitioner` is the attribution an EHR sends, `placedBy` the token that placed it; a body role is 400', async () => {
    const id = await outpatientVisit();
    const order = {
      placerOrderNumber: `ORD-${randomUUID().slice(0, 8)}`,
      code: { system: 'http://loinc.org', code: '2160-0', display: 'Creatinine' },
      orderingPractitioner: { id: 'npi-1234567893', name: 'Dr Renal Synthetic' },
    };
    expect((await api('POST', `/v1/encounters/${id}/orders`, { ...order, role: 'physician' })).body.issues).toEqual([
      { field: 'role', reason: expect.stringMatching(/token/) },
    ]);
    const placed = await api('POST', `/v1/encounters/${id}/orders`, order, {}, physician);
    expect(placed).toMatchObject({
      status: 201,
      body: { orderingPractitioner: { id: 'npi-1234567893' }, placedBy: byToken('md-lindqvist', 'physician') },
    });
  });

  it('a care-team message: `author` is display only, `by` the nurse who posted it', async () => {
    const id = await outpatientVisit();
    const posted = await api(
      'POST',
      `/v1/encounters/${id}/care-team/messages`,
      { author: 'Chief of Medicine', body: 'Family meeting moved to 3 pm' },
      {},
      nurse,
    );
    expect(posted).toMatchObject({ status: 201, body: { author: 'Chief of Medicine', by: byToken('rn-okafor', 'nurse') } });
  });
});

describe("the discharge order's signature is the token that completes it", () => {
  it("a nurse cannot sign it (403); a body role or completedBy is 400; the physician's token is the task's completedBy and the discharge's signedBy", async () => {
    const admitted = await api(
      'POST',
      '/v1/encounters',
      syntheticAdmission({ admittedAt: new Date(Date.now() - 2 * 86_400_000).toISOString() }),
    );
    expect(admitted.status).toBe(201);
    const { encounterId } = admitted.body;
    const openTask = async (type: string) => {
      let task: any;
      await expect
        .poll(
          async () =>
            (task = ((await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items as any[]).find(
              (t) => t.type === type,
            ))?.type,
          poll,
        )
        .toBe(type);
      return task;
    };
    const assessment = await openTask('needs-assessment');
    expect((await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' }, {}, careManager)).status).toBe(200);
    await recordDischargeEssentials(encounterId);
    const order = await openTask('discharge-order');

    const complete = (body: unknown, as: Who) => api('POST', `/v1/tasks/${order.taskId}/complete`, body, {}, as);
    const data = { disposition: 'home', orderedBy: 'Dr Not The Signer' };
    expect((await complete({ outcome: 'completed', data }, nurse)).status).toBe(403);
    expect((await complete({ outcome: 'completed', data, role: 'physician' }, physician)).body.issues).toEqual([
      { field: 'role', reason: expect.stringMatching(/token/) },
    ]);
    expect((await complete({ outcome: 'completed', data, completedBy: 'md-lindqvist' }, physician)).status).toBe(400);
    const signed = await complete({ outcome: 'completed', data }, physician);
    expect(signed).toMatchObject({ status: 200, body: { status: 'completed', completedBy: byToken('md-lindqvist', 'physician') } });

    await expect
      .poll(async () => (await api('GET', `/v1/encounters/${encounterId}`)).body.discharge?.signedBy, poll)
      .toMatchObject(byToken('md-lindqvist', 'physician'));
    expect((await api('GET', `/v1/encounters/${encounterId}`)).body.discharge).toMatchObject({
      disposition: 'home',
      orderedBy: 'Dr Not The Signer',
    });
  });
});

describe('bedside documentation: the token recorded beside the name', () => {
  it('an observation: `recordedBy` is a name, `by` the nurse; a teach-back: `educator` is who taught, `by` who recorded it', async () => {
    const id = await outpatientVisit();
    const observed = await api(
      'POST',
      `/v1/encounters/${id}/observations`,
      { code: '8310-5', value: 38.4, unit: 'Cel', observedAt: new Date(Date.now() - 60_000).toISOString(), recordedBy: 'Attending' },
      {},
      nurse,
    );
    expect(observed).toMatchObject({ status: 201, body: { observation: { recordedBy: 'Attending', by: byToken('rn-okafor', 'nurse') } } });
    const item = await api(
      'POST',
      `/v1/encounters/${id}/education`,
      { topic: 'Inhaler technique', audience: 'patient', language: 'en', method: 'demonstration' },
      {},
      nurse,
    );
    expect(item.status).toBe(201);
    const taught = await api(
      'PUT',
      `/v1/encounters/${id}/education/${item.body.itemId}/teach-back`,
      { outcome: 'understood', educator: 'Respiratory therapist Synthetic' },
      { 'if-match': item.headers.get('etag')! },
      nurse,
    );
    expect(taught).toMatchObject({
      status: 200,
      body: { teachBack: { educator: 'Respiratory therapist Synthetic', by: byToken('rn-okafor', 'nurse') } },
    });
    expect(
      (
        await api(
          'PUT',
          `/v1/encounters/${id}/education/${item.body.itemId}/teach-back`,
          { outcome: 'understood', educator: 'X', role: 'nurse' },
          { 'if-match': taught.headers.get('etag')! },
          nurse,
        )
      ).status,
    ).toBe(400);
  });
});

describe('grievances: who acknowledged, noted and decided is the token', () => {
  it('a nurse cannot acknowledge (403); patient services does, and is recorded; names in the body are attributions only', async () => {
    const ps: Who = { facility: 'F1', role: 'patient-services', username: 'ps-nakamura' };
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    const filed = await api(
      'POST',
      `/v1/encounters/${encounterId}/grievances`,
      {
        channel: 'phone',
        category: 'quality-of-care',
        severity: 'moderate',
        raisedBy: 'patient',
        description: 'Synthetic: call bell unanswered overnight',
        namedContact: 'Patient Relations Synthetic',
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
      {},
      nurse,
    );
    expect(filed.status).toBe(201);
    const path = `/v1/encounters/${encounterId}/grievances/${filed.body.grievanceId}`;
    const at = new Date(Date.now() - 60_000).toISOString();
    expect((await api('POST', `${path}/acknowledgement`, { acknowledgedAt: at, by: 'Director' }, {}, nurse)).status).toBe(403);
    expect(
      (await api('POST', `${path}/acknowledgement`, { acknowledgedAt: at, by: 'Director', role: 'care-manager' }, {}, ps)).status,
    ).toBe(400);
    const acknowledged = await api('POST', `${path}/acknowledgement`, { acknowledgedAt: at, by: 'Director' }, {}, ps);
    expect(acknowledged).toMatchObject({
      status: 200,
      body: { status: 'acknowledged', acknowledgedBy: byToken('ps-nakamura', 'patient-services') },
    });
    const noted = await api('POST', `${path}/notes`, { text: 'Spoke with the night charge nurse', by: 'Someone Else' }, {}, ps);
    expect(noted.body.notes.at(-1)).toMatchObject({ by: 'Someone Else', recorder: byToken('ps-nakamura', 'patient-services') });
    const decided = await api(
      'POST',
      `${path}/decision`,
      {
        contactPerson: 'Patient Relations Synthetic',
        stepsTaken: ['Reviewed call-bell logs'],
        results: 'Staffing gap found and closed',
        completedAt: new Date().toISOString(),
        writtenBy: 'Director Synthetic',
      },
      {},
      careManager,
    );
    expect(decided).toMatchObject({
      status: 200,
      body: { decision: { writtenBy: 'Director Synthetic', recorder: byToken('cm-moreau', 'care-manager') } },
    });
  });
});

describe('appointments: who booked and who cancelled is the token', () => {
  it('patient services books with a name in bookedBy and is recorded as itself; a care manager cancels and is recorded', async () => {
    const ps: Who = { facility: 'F1', role: 'patient-services', username: 'ps-abara' };
    const id = await outpatientVisit();
    const start = new Date(Date.now() + 4 * 86_400_000);
    start.setUTCMinutes(30, 0, 0);
    const published = await api(
      'POST',
      `/v1/practitioners/dr-${randomUUID().slice(0, 8)}/slots`,
      {
        clinic: 'Synthetic Pulmonary Clinic',
        slots: [{ start: start.toISOString(), end: new Date(start.getTime() + 20 * 60_000).toISOString() }],
        publishedBy: 'Scheduler Synthetic',
      },
      {},
      ps,
    );
    expect(published.status).toBe(201);
    const booked = await api(
      'POST',
      `/v1/encounters/${id}/appointments`,
      { slotId: published.body.slots[0].slotId, reason: 'Spirometry review', bookedBy: 'Dr Pulmonologist' },
      {},
      ps,
    );
    expect(booked).toMatchObject({ status: 201, body: { bookedBy: 'Dr Pulmonologist', by: byToken('ps-abara', 'patient-services') } });
    const cancelled = await api(
      'POST',
      `/v1/appointments/${booked.body.appointmentId}/cancel`,
      { reason: 'Patient asked to move it', by: 'The patient' },
      {},
      careManager,
    );
    expect(cancelled).toMatchObject({
      status: 200,
      body: { status: 'cancelled', cancel: { by: 'The patient', recorder: byToken('cm-moreau', 'care-manager') } },
    });
  });
});

async function openTask(encounterId: string, type: string) {
  let task: any;
  await expect
    .poll(
      async () =>
        (task = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.find(
          (t: { type: string }) => t.type === type,
        ))?.type,
      poll,
    )
    .toBe(type);
  return task;
}

describe('post-acute planning: who recorded the choice, arranged a service and relayed a referral answer is the token', () => {
  it('patient choice, a service arrangement and a referral decline carry `by`/`recorder` beside the names given; a body role is 400 on each', async () => {
    const { encounterId: id } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    await api('POST', `/v1/tasks/${(await openTask(id, 'needs-assessment')).taskId}/complete`, {
      outcome: 'completed',
      data: { needs: ['home-health', 'transportation'] },
    });
    const choiceTask = await openTask(id, 'patient-choice');
    const choice = { chosenProviderIds: ['hha-summit'], recordedBy: 'Daughter Synthetic (health-care proxy)' };
    const claimedChoice = await editStay(id, 'PUT', '/patient-choice', { ...choice, role: 'care-manager' }, socialWorker);
    expect(claimedChoice).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'role', reason: expect.stringMatching(/comes from the token/) }] },
    });
    const chosen = await editStay(id, 'PUT', '/patient-choice', choice, socialWorker);
    expect(chosen).toMatchObject({
      status: 200,
      body: { patientChoice: { recordedBy: 'Daughter Synthetic (health-care proxy)', by: byToken('sw-haddad', 'social-worker') } },
    });

    await recordDischargeEssentials(id);
    const arrangement = {
      service: 'transportation',
      status: 'arranged',
      provider: 'Synthetic Medical Transport',
      scheduledFor: '2026-12-20T15:00:00Z',
      arrangedBy: 'Transport Desk Synthetic',
    };
    const claimedArrangement = await editStay(
      id,
      'PUT',
      '/service-arrangements',
      { arrangements: [arrangement], role: 'social-worker' },
      careManager,
    );
    expect(claimedArrangement).toMatchObject({ status: 400, body: { issues: [{ field: 'role' }] } });
    const arranged = await editStay(id, 'PUT', '/service-arrangements', { arrangements: [arrangement] }, careManager);
    expect(arranged.status).toBe(200);
    expect(arranged.body.arrangements.find((a: { service: string }) => a.service === 'transportation')).toMatchObject({
      arrangedBy: 'Transport Desk Synthetic',
      by: byToken('cm-moreau', 'care-manager'),
    });

    await api('POST', `/v1/tasks/${choiceTask.taskId}/complete`, { outcome: 'completed' });
    const sentTo = async (providerId: string) => {
      let referralId = '';
      await expect
        .poll(
          async () =>
            (referralId =
              (
                (await api('GET', `/v1/encounters/${id}/referrals`)).body.items as Array<{
                  providerId: string;
                  status: string;
                  referralId: string;
                }>
              ).find((r) => r.providerId === providerId && r.status === 'sent')?.referralId ?? ''),
          poll,
        )
        .not.toBe('');
      return `/v1/encounters/${id}/referrals/${referralId}/answer`;
    };
    // A decline (the chosen agency) and an acceptance (the next round's) each keep the agency's name beside the token that relayed it.
    const decline = { answer: 'decline', answeredBy: 'Summit Intake Nurse Synthetic', reason: 'No nurse for that zip code until January' };
    const summit = await sentTo('hha-summit');
    expect(await api('POST', summit, { ...decline, role: 'integration-client' }, {}, careManager)).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'role' }] },
    });
    expect(await api('POST', summit, decline, {}, careManager)).toMatchObject({
      status: 200,
      body: { status: 'declined', answeredBy: 'Summit Intake Nurse Synthetic', recorder: byToken('cm-moreau', 'care-manager') },
    });
    const riverside = await sentTo('hha-riverside');
    expect(
      await api('POST', riverside, { answer: 'accept', answeredBy: 'Riverside Intake Synthetic', role: 'care-manager' }, {}, socialWorker),
    ).toMatchObject({ status: 400, body: { issues: [{ field: 'role' }] } });
    expect(await api('POST', riverside, { answer: 'accept', answeredBy: 'Riverside Intake Synthetic' }, {}, socialWorker)).toMatchObject({
      status: 200,
      body: { status: 'accepted', answeredBy: 'Riverside Intake Synthetic', recorder: byToken('sw-haddad', 'social-worker') },
    });
  });
});

describe('scheduling and caseloads: who published, moved and reassigned is the token', () => {
  it('a slot keeps publishedBy beside `by`; a reschedule and a reassignment record the token beside the name given; a body role is 400', async () => {
    const ps: Who = { facility: 'F1', role: 'patient-services', username: 'ps-nakamura' };
    const practitionerId = `dr-${randomUUID().slice(0, 8)}`;
    const start = new Date(Date.now() + 6 * 86_400_000);
    start.setUTCMinutes(15, 0, 0);
    const slots = [0, 1].map((i) => ({
      start: new Date(start.getTime() + i * 3_600_000).toISOString(),
      end: new Date(start.getTime() + i * 3_600_000 + 15 * 60_000).toISOString(),
    }));
    const publication = { clinic: 'Synthetic Nephrology Clinic', slots, publishedBy: 'Clinic Coordinator Synthetic' };
    const claimedSlots = await api('POST', `/v1/practitioners/${practitionerId}/slots`, { ...publication, role: 'care-manager' }, {}, ps);
    expect(claimedSlots).toMatchObject({ status: 400, body: { issues: [{ field: 'role' }] } });
    expect((await api('POST', `/v1/practitioners/${practitionerId}/slots`, publication, {}, ps)).status).toBe(201);
    const listed = await api(
      'GET',
      `/v1/practitioners/${practitionerId}/slots?from=${encodeURIComponent(slots[0]!.start)}&to=${encodeURIComponent(slots[1]!.end)}`,
      undefined,
      {},
      ps,
    );
    expect(listed.body.items).toHaveLength(2);
    for (const slot of listed.body.items)
      expect(slot).toMatchObject({ publishedBy: 'Clinic Coordinator Synthetic', by: byToken('ps-nakamura', 'patient-services') });

    const id = await outpatientVisit();
    const booked = await api(
      'POST',
      `/v1/encounters/${id}/appointments`,
      { slotId: listed.body.items[0].slotId, reason: 'Renal function check', bookedBy: 'Dr Nephrologist' },
      {},
      ps,
    );
    expect(booked.status).toBe(201);
    const move = { slotId: listed.body.items[1].slotId, by: 'The patient, by phone' };
    const claimedMove = await api('PUT', `/v1/appointments/${booked.body.appointmentId}`, { ...move, role: 'patient-services' }, {}, nurse);
    expect(claimedMove).toMatchObject({ status: 400, body: { issues: [{ field: 'role' }] } });
    const moved = await api('PUT', `/v1/appointments/${booked.body.appointmentId}`, move, {}, nurse);
    expect(moved).toMatchObject({
      status: 200,
      body: {
        slotId: move.slotId,
        reschedules: [{ from: slots[0]!.start, by: 'The patient, by phone', recorder: byToken('rn-okafor', 'nurse') }],
      },
    });
  });

  it('a caseload reassignment keeps the reason and the name given beside the token that moved it', async () => {
    const { encounterId: id } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    let first = '';
    await expect.poll(async () => (first = (await api('GET', `/v1/encounters/${id}`)).body.careManagerId ?? ''), poll).not.toBe('');
    const to = first === 'cm-adams' ? 'cm-baker' : 'cm-adams';
    const body = { careManagerId: to, reason: 'Continuity: knows the family', by: 'Nurse Manager Synthetic' };
    const claimed = await editStay(id, 'PUT', '/care-manager', { ...body, role: 'care-manager' }, socialWorker);
    expect(claimed).toMatchObject({ status: 400, body: { issues: [{ field: 'role' }] } });
    expect((await editStay(id, 'PUT', '/care-manager', body, socialWorker)).status).toBe(200);
    expect((await api('GET', `/v1/encounters/${id}`)).body).toMatchObject({
      careManagerId: to,
      careManagerAssignment: {
        reason: 'Continuity: knows the family',
        by: 'Nurse Manager Synthetic',
        recorder: byToken('sw-haddad', 'social-worker'),
      },
    });
  });

  it("the care team's lead care manager is set by the token, which the encounter keeps; a body role is 400", async () => {
    const id = await outpatientVisit();
    const member = await api(
      'POST',
      `/v1/encounters/${id}/care-team/members`,
      { name: 'CM Lead Synthetic', role: 'care-manager', addedBy: 'Unit Clerk Synthetic' },
      {},
      socialWorker,
    );
    expect(member.status).toBe(201);
    const claimed = await editStay(id, 'PUT', '/care-team/lead', { memberId: member.body.memberId, role: 'care-manager' }, socialWorker);
    expect(claimed).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'role', reason: expect.stringMatching(/comes from the token/) }] },
    });
    expect(await editStay(id, 'PUT', '/care-team/lead', { memberId: member.body.memberId }, socialWorker)).toMatchObject({
      status: 200,
      body: { leadCareManagerSetBy: byToken('sw-haddad', 'social-worker') },
    });
    expect((await api('GET', `/v1/encounters/${id}`)).body).toMatchObject({
      leadCareManagerId: member.body.memberId,
      leadCareManagerSetBy: byToken('sw-haddad', 'social-worker'),
    });
  });
});

describe('transfers: who requested, relayed each answer, arranged transport, confirmed arrival and cancelled is the token', () => {
  it('each step keeps the name the body gave beside the token that sent it; a body role is 400 on each', async () => {
    const id = (await api('POST', '/v1/encounters', syntheticAdmission())).body.encounterId as string;
    const request = {
      reason: 'Needs long-term acute care for ventilator weaning',
      receivingFacilities: ['ltch-harbor'],
      requestedBy: 'Dr Intensivist Synthetic',
    };
    expect(await api('POST', `/v1/encounters/${id}/transfers`, { ...request, role: 'physician' }, {}, socialWorker)).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'role' }] },
    });
    const requested = await api('POST', `/v1/encounters/${id}/transfers`, request, {}, socialWorker);
    expect(requested).toMatchObject({
      status: 201,
      body: { requestedBy: 'Dr Intensivist Synthetic', by: byToken('sw-haddad', 'social-worker') },
    });
    const path = `/v1/encounters/${id}/transfers/${requested.body.transferId}`;
    const waitingIn = (state: string) => expect.poll(async () => (await api('GET', path)).body.workflow?.currentState, poll).toBe(state);

    await waitingIn(TRANSFER_STATES.awaitAnswer);
    const accept = { decision: 'accept', providerId: 'ltch-harbor', answeredBy: 'Harbor Admissions Synthetic' };
    expect(await api('POST', `${path}/answer`, { ...accept, role: 'integration-client' }, {}, careManager)).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'role' }] },
    });
    const accepted = await api('POST', `${path}/answer`, accept, {}, careManager);
    expect(accepted).toMatchObject({
      status: 200,
      body: {
        candidates: [
          {
            providerId: 'ltch-harbor',
            status: 'accepted',
            answeredBy: 'Harbor Admissions Synthetic',
            recorder: byToken('cm-moreau', 'care-manager'),
          },
        ],
      },
    });

    await waitingIn(TRANSFER_STATES.awaitTransport);
    const transport = {
      mode: 'critical-care-ground',
      vendor: 'Synthetic Critical Care Transport',
      pickupAt: new Date(Date.now() + 1_800_000).toISOString(),
    };
    expect(await api('PUT', `${path}/transport`, { ...transport, role: 'care-manager' }, {}, socialWorker)).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'role' }] },
    });
    expect(await api('PUT', `${path}/transport`, transport, {}, socialWorker)).toMatchObject({
      status: 200,
      body: { transport: { vendor: 'Synthetic Critical Care Transport', recorder: byToken('sw-haddad', 'social-worker') } },
    });

    await waitingIn(TRANSFER_STATES.awaitArrival);
    const arrival = { arrivedAt: new Date().toISOString(), confirmedBy: 'Harbor Charge Nurse Synthetic' };
    expect(await api('POST', `${path}/arrival`, { ...arrival, role: 'nurse' }, {}, careManager)).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'role' }] },
    });
    expect(await api('POST', `${path}/arrival`, arrival, {}, careManager)).toMatchObject({
      status: 200,
      body: {
        status: 'arrived',
        arrival: { confirmedBy: 'Harbor Charge Nurse Synthetic', recorder: byToken('cm-moreau', 'care-manager') },
      },
    });
  });

  it('a cancel keeps the name given (`cancel.by`) beside the token that cancelled it (`cancel.recorder`)', async () => {
    const id = (await api('POST', '/v1/encounters', syntheticAdmission())).body.encounterId as string;
    const requested = await api(
      'POST',
      `/v1/encounters/${id}/transfers`,
      { reason: 'Needs inpatient rehabilitation', receivingFacilities: ['irf-northside'], requestedBy: 'Dr Physiatrist Synthetic' },
      {},
      careManager,
    );
    expect(requested.status).toBe(201);
    const path = `/v1/encounters/${id}/transfers/${requested.body.transferId}`;
    const cancel = { reason: 'Family chose to take the patient home', by: "The patient's son" };
    expect(await api('POST', `${path}/cancel`, { ...cancel, role: 'physician' }, {}, socialWorker)).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'role' }] },
    });
    const cancelled = await api('POST', `${path}/cancel`, cancel, {}, socialWorker);
    expect(cancelled).toMatchObject({
      status: 202,
      body: {
        cancel: {
          reason: 'Family chose to take the patient home',
          by: "The patient's son",
          recorder: byToken('sw-haddad', 'social-worker'),
        },
      },
    });
  });
});
