import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { recordDischargeEssentials } from '../fixtures/discharge-planning';
import { api, type Who } from '../support/clients';

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

const etagOf = async (id: string) => (await api('GET', `/v1/encounters/${id}`)).headers.get('etag')!;
async function outpatientVisit() {
  const { body } = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }));
  return body.encounterId as string;
}
const byToken = (username: string, role: string) => ({ who: expect.stringMatching(new RegExp(`/${username}$`)), roles: [role] });

describe('risk tier override: the clinician is the token', () => {
  it('refuses a body role (400 naming it) and records a nurse\'s override as the nurse\'s, whatever name the body gives', async () => {
    const id = await outpatientVisit();
    const inputs = await api('PUT', `/v1/encounters/${id}/risk-inputs`, { conditions: ['J44.1'], edVisitsPrior6Months: 1 }, { 'if-match': await etagOf(id) });
    expect(inputs.status).toBe(200);
    const ifMatch = { 'if-match': inputs.headers.get('etag')! };
    const claimed = await api('PUT', `/v1/encounters/${id}/risk-override`, { tier: 'low', reason: 'Stable COPD, lives with spouse', role: 'physician' }, ifMatch, nurse);
    expect(claimed.status).toBe(400);
    expect(claimed.body.issues).toEqual([{ field: 'role', reason: expect.stringMatching(/comes from the token/) }]);
    const overridden = await api('PUT', `/v1/encounters/${id}/risk-override`, { tier: 'low', reason: 'Stable COPD, lives with spouse', clinician: 'Dr Attending Synthetic' }, ifMatch, nurse);
    expect(overridden.status).toBe(200);
    expect(overridden.body.override).toMatchObject({ tier: 'low', by: byToken('rn-okafor', 'nurse'), clinician: 'Dr Attending Synthetic' });
  });
});

describe('goals of care, needs assessment, orders: recorded as the token', () => {
  it('goals of care: a nurse cannot record them (403); a body role is 400; the physician\'s token is `by`, `recordedBy` only a name', async () => {
    const id = await outpatientVisit();
    const goals = { level: 'selective-treatment', codeStatus: 'dnr', recordedBy: 'Dr Somebody Else' };
    expect((await api('PUT', `/v1/encounters/${id}/goals-of-care`, goals, { 'if-match': await etagOf(id) }, nurse)).status).toBe(403);
    const claimed = await api('PUT', `/v1/encounters/${id}/goals-of-care`, { ...goals, role: 'physician' }, { 'if-match': await etagOf(id) });
    expect(claimed).toMatchObject({ status: 400, body: { issues: [{ field: 'role' }] } });
    const recorded = await api('PUT', `/v1/encounters/${id}/goals-of-care`, goals, { 'if-match': await etagOf(id) }, physician);
    expect(recorded).toMatchObject({ status: 200, body: { codeStatus: 'dnr', recordedBy: 'Dr Somebody Else', by: byToken('md-lindqvist', 'physician') } });
  });

  it('needs assessment and a suggestion decision: the social worker\'s token is `by`; names in the body are display only', async () => {
    const id = await outpatientVisit();
    const body = { domains: { functional: { findings: ['fall-risk'] } }, assessedBy: 'Someone Senior' };
    const claimed = await api('PUT', `/v1/encounters/${id}/needs-assessment`, { ...body, role: 'care-manager' }, { 'if-match': await etagOf(id) }, socialWorker);
    expect(claimed).toMatchObject({ status: 400, body: { issues: [{ field: 'role' }] } });
    const assessed = await api('PUT', `/v1/encounters/${id}/needs-assessment`, body, { 'if-match': await etagOf(id) }, socialWorker);
    expect(assessed).toMatchObject({ status: 200, body: { assessedBy: 'Someone Senior', by: byToken('sw-haddad', 'social-worker') } });
    const service = assessed.body.suggestions[0].service as string;
    const decided = await api('PUT', `/v1/encounters/${id}/needs-assessment/suggestions/${service}`, { outcome: 'accepted', decidedBy: 'The Director' }, { 'if-match': assessed.headers.get('etag')! }, careManager);
    expect(decided.status).toBe(200);
    expect(decided.body.suggestions[0].decision).toMatchObject({ outcome: 'accepted', decidedBy: 'The Director', by: byToken('cm-moreau', 'care-manager') });
  });

  it('an order: `orderingPractitioner` is the attribution an EHR sends, `placedBy` the token that placed it; a body role is 400', async () => {
    const id = await outpatientVisit();
    const order = {
      placerOrderNumber: `ORD-${randomUUID().slice(0, 8)}`,
      code: { system: 'http://loinc.org', code: '2160-0', display: 'Creatinine' },
      orderingPractitioner: { id: 'npi-1234567893', name: 'Dr Renal Synthetic' },
    };
    expect((await api('POST', `/v1/encounters/${id}/orders`, { ...order, role: 'physician' })).body.issues).toEqual([{ field: 'role', reason: expect.stringMatching(/token/) }]);
    const placed = await api('POST', `/v1/encounters/${id}/orders`, order, {}, physician);
    expect(placed).toMatchObject({ status: 201, body: { orderingPractitioner: { id: 'npi-1234567893' }, placedBy: byToken('md-lindqvist', 'physician') } });
  });

  it('a care-team message: `author` is display only, `by` the nurse who posted it', async () => {
    const id = await outpatientVisit();
    const posted = await api('POST', `/v1/encounters/${id}/care-team/messages`, { author: 'Chief of Medicine', body: 'Family meeting moved to 3 pm' }, {}, nurse);
    expect(posted).toMatchObject({ status: 201, body: { author: 'Chief of Medicine', by: byToken('rn-okafor', 'nurse') } });
  });
});

describe("the discharge order's signature is the token that completes it", () => {
  it('a nurse cannot sign it (403); a body role or completedBy is 400; the physician\'s token is the task\'s completedBy and the discharge\'s signedBy', async () => {
    const admitted = await api('POST', '/v1/encounters', syntheticAdmission({ admittedAt: new Date(Date.now() - 2 * 86_400_000).toISOString() }));
    expect(admitted.status).toBe(201);
    const { encounterId } = admitted.body;
    const openTask = async (type: string) => {
      let task: any;
      await expect
        .poll(async () => (task = ((await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items as any[]).find((t) => t.type === type))?.type, poll)
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
    expect((await complete({ outcome: 'completed', data, role: 'physician' }, physician)).body.issues).toEqual([{ field: 'role', reason: expect.stringMatching(/token/) }]);
    expect((await complete({ outcome: 'completed', data, completedBy: 'md-lindqvist' }, physician)).status).toBe(400);
    const signed = await complete({ outcome: 'completed', data }, physician);
    expect(signed).toMatchObject({ status: 200, body: { status: 'completed', completedBy: byToken('md-lindqvist', 'physician') } });

    await expect.poll(async () => (await api('GET', `/v1/encounters/${encounterId}`)).body.discharge?.signedBy, poll).toMatchObject(byToken('md-lindqvist', 'physician'));
    expect((await api('GET', `/v1/encounters/${encounterId}`)).body.discharge).toMatchObject({ disposition: 'home', orderedBy: 'Dr Not The Signer' });
  });
});

describe('bedside documentation: the token recorded beside the name', () => {
  it('an observation: `recordedBy` is a name, `by` the nurse; a teach-back: `educator` is who taught, `by` who recorded it', async () => {
    const id = await outpatientVisit();
    const observed = await api('POST', `/v1/encounters/${id}/observations`, { code: '8310-5', value: 38.4, unit: 'Cel', observedAt: new Date(Date.now() - 60_000).toISOString(), recordedBy: 'Attending' }, {}, nurse);
    expect(observed).toMatchObject({ status: 201, body: { observation: { recordedBy: 'Attending', by: byToken('rn-okafor', 'nurse') } } });
    const item = await api('POST', `/v1/encounters/${id}/education`, { topic: 'Inhaler technique', audience: 'patient', language: 'en', method: 'demonstration' }, {}, nurse);
    expect(item.status).toBe(201);
    const taught = await api('PUT', `/v1/encounters/${id}/education/${item.body.itemId}/teach-back`, { outcome: 'understood', educator: 'Respiratory therapist Synthetic' }, { 'if-match': item.headers.get('etag')! }, nurse);
    expect(taught).toMatchObject({ status: 200, body: { teachBack: { educator: 'Respiratory therapist Synthetic', by: byToken('rn-okafor', 'nurse') } } });
    expect((await api('PUT', `/v1/encounters/${id}/education/${item.body.itemId}/teach-back`, { outcome: 'understood', educator: 'X', role: 'nurse' }, { 'if-match': taught.headers.get('etag')! }, nurse)).status).toBe(400);
  });
});

describe('grievances: who acknowledged, noted and decided is the token', () => {
  it('a nurse cannot acknowledge (403); patient services does, and is recorded; names in the body are attributions only', async () => {
    const ps: Who = { facility: 'F1', role: 'patient-services', username: 'ps-nakamura' };
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    const filed = await api('POST', `/v1/encounters/${encounterId}/grievances`, {
      channel: 'phone', category: 'quality-of-care', severity: 'moderate', raisedBy: 'patient', description: 'Synthetic: call bell unanswered overnight', namedContact: 'Patient Relations Synthetic', receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
    }, {}, nurse);
    expect(filed.status).toBe(201);
    const path = `/v1/encounters/${encounterId}/grievances/${filed.body.grievanceId}`;
    const at = new Date(Date.now() - 60_000).toISOString();
    expect((await api('POST', `${path}/acknowledgement`, { acknowledgedAt: at, by: 'Director' }, {}, nurse)).status).toBe(403);
    expect((await api('POST', `${path}/acknowledgement`, { acknowledgedAt: at, by: 'Director', role: 'care-manager' }, {}, ps)).status).toBe(400);
    const acknowledged = await api('POST', `${path}/acknowledgement`, { acknowledgedAt: at, by: 'Director' }, {}, ps);
    expect(acknowledged).toMatchObject({ status: 200, body: { status: 'acknowledged', acknowledgedBy: byToken('ps-nakamura', 'patient-services') } });
    const noted = await api('POST', `${path}/notes`, { text: 'Spoke with the night charge nurse', by: 'Someone Else' }, {}, ps);
    expect(noted.body.notes.at(-1)).toMatchObject({ by: 'Someone Else', recorder: byToken('ps-nakamura', 'patient-services') });
    const decided = await api('POST', `${path}/decision`, {
      contactPerson: 'Patient Relations Synthetic', stepsTaken: ['Reviewed call-bell logs'], results: 'Staffing gap found and closed', completedAt: new Date().toISOString(), writtenBy: 'Director Synthetic',
    }, {}, careManager);
    expect(decided).toMatchObject({ status: 200, body: { decision: { writtenBy: 'Director Synthetic', recorder: byToken('cm-moreau', 'care-manager') } } });
  });
});

describe('appointments: who booked and who cancelled is the token', () => {
  it('patient services books with a name in bookedBy and is recorded as itself; a care manager cancels and is recorded', async () => {
    const ps: Who = { facility: 'F1', role: 'patient-services', username: 'ps-abara' };
    const id = await outpatientVisit();
    const start = new Date(Date.now() + 4 * 86_400_000);
    start.setUTCMinutes(30, 0, 0);
    const published = await api('POST', `/v1/practitioners/dr-${randomUUID().slice(0, 8)}/slots`, {
      clinic: 'Synthetic Pulmonary Clinic', slots: [{ start: start.toISOString(), end: new Date(start.getTime() + 20 * 60_000).toISOString() }], publishedBy: 'Scheduler Synthetic',
    }, {}, ps);
    expect(published.status).toBe(201);
    const booked = await api('POST', `/v1/encounters/${id}/appointments`, { slotId: published.body.slots[0].slotId, reason: 'Spirometry review', bookedBy: 'Dr Pulmonologist' }, {}, ps);
    expect(booked).toMatchObject({ status: 201, body: { bookedBy: 'Dr Pulmonologist', by: byToken('ps-abara', 'patient-services') } });
    const cancelled = await api('POST', `/v1/appointments/${booked.body.appointmentId}/cancel`, { reason: 'Patient asked to move it', by: 'The patient' }, {}, careManager);
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled', cancel: { by: 'The patient', recorder: byToken('cm-moreau', 'care-manager') } } });
  });
});
