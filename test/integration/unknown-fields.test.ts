import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api, type Who } from '../support/clients';

/**
 * Issue 17 item 3: a field the API does not know is a client's mistake (a typo, an old client),
 * so it is 400 naming the field, at any depth, and nothing is written. Dropping it silently once
 * turned a misspelt `"dat"` into "assessed, no needs" and a discharge home with no services.
 */
const poll = { timeout: 25_000, interval: 200 };
const careManager: Who = { facility: 'F1', role: 'care-manager', username: 'cm-unknown-fields' };
const unknown = (field: string) => ({ field, reason: 'unknown field' });

const patientsWith = async (identifier: { system: string; value: string }) =>
  ((await api('GET', `/v1/patients?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`)).body.items ??
    []) as unknown[];

async function outpatientVisit() {
  const admitted = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }));
  expect(admitted.status).toBe(201);
  return admitted.body.encounterId as string;
}

describe('an unknown top-level field is 400 naming it, and nothing is written', () => {
  it('registering a patient with a "nickname"', async () => {
    const identifier = { system: 'urn:example:mrn', value: `UF-${randomUUID().slice(0, 8)}`, type: 'MR' };
    const response = await api('POST', '/v1/patients', {
      identifiers: [identifier],
      name: { family: 'Quist', given: ['Synthetic'] },
      birthDate: '1961-07-14',
      sex: 'female',
      nickname: 'Q',
    });
    expect(response).toMatchObject({ status: 400, body: { error: 'BadRequest', issues: [unknown('nickname')] } });
    expect(await patientsWith(identifier)).toEqual([]);
  });

  it('an admission with "ward" for "unit", and one with "dob" inside the patient', async () => {
    const { unit, ...withoutUnit } = syntheticAdmission({ class: 'outpatient' });
    const ward = await api('POST', '/v1/encounters', { ...withoutUnit, ward: unit });
    expect(ward.status).toBe(400);
    expect(ward.body.issues).toContainEqual(unknown('ward'));
    expect(await patientsWith(withoutUnit.patient.identifier)).toEqual([]);

    const admission = syntheticAdmission({ class: 'outpatient' });
    const dob = await api('POST', '/v1/encounters', { ...admission, patient: { ...admission.patient, dob: '1950-02-03' } });
    expect(dob).toMatchObject({ status: 400, body: { issues: [unknown('patient.dob')] } });
    const name = await api('POST', '/v1/encounters', {
      ...admission,
      patient: { ...admission.patient, name: { ...admission.patient.name, middle: 'Q' } },
    });
    expect(name).toMatchObject({ status: 400, body: { issues: [unknown('patient.name.middle')] } });
    expect(await patientsWith(admission.patient.identifier)).toEqual([]);
  });

  it('a care-team message marked "urgent" (no such field: it would be read as a routine message)', async () => {
    const id = await outpatientVisit();
    const response = await api('POST', `/v1/encounters/${id}/care-team/messages`, {
      author: 'RN Synthetic',
      body: 'Call the family before 5 pm',
      urgent: true,
    });
    expect(response).toMatchObject({ status: 400, body: { issues: [unknown('urgent')] } });
    expect((await api('GET', `/v1/encounters/${id}/care-team/messages`)).body.items).toEqual([]);
  });
});

describe('a misspelt field deep in a clinical record is 400 naming its path, and the record is unchanged', () => {
  it('a care plan goal with "targte", a needs-assessment domain with "finding", a medication with "doze"', async () => {
    const id = await outpatientVisit();
    const plan = {
      status: 'draft',
      problems: [
        {
          description: 'Heart failure',
          code: 'I50.9',
          goals: [{ description: 'Daily weights', targte: 'Gain under 1 kg', status: 'active' }],
          interventions: [],
        },
      ],
      author: 'CM Synthetic',
    };
    expect(await api('PUT', `/v1/encounters/${id}/care-plan`, plan, { 'if-match': '"0"' })).toMatchObject({
      status: 400,
      body: { issues: [unknown('problems.0.goals.0.targte')] },
    });
    expect((await api('GET', `/v1/encounters/${id}/care-plan`)).status).toBe(404);

    const etag = (await api('GET', `/v1/encounters/${id}`)).headers.get('etag')!;
    // Each part is its own record, none written yet: "0" is the version a valid write would take.
    const assessment = { domains: { caregiver: { findings: [] }, functional: { finding: ['fall-risk'] } }, assessedBy: 'SW Synthetic' };
    expect(await api('PUT', `/v1/encounters/${id}/needs-assessment`, assessment, { 'if-match': '"0"' })).toMatchObject({
      status: 400,
      body: { issues: [unknown('domains.functional.finding')] },
    });
    const medications = {
      medications: [
        { drug: 'Furosemide', decision: 'continued', home: { dose: '40 mg' }, discharge: { dose: '40 mg' }, reason: 'Fluid balance' },
        { drug: 'Metoprolol', decision: 'changed', home: { dose: '25 mg' }, discharge: { doze: '50 mg' }, reason: 'Rate control' },
      ],
      reconciledBy: 'PharmD Synthetic',
    };
    const reconciled = await api('PUT', `/v1/encounters/${id}/medication-reconciliation`, medications, { 'if-match': '"0"' });
    expect(reconciled.status).toBe(400);
    expect(reconciled.body.issues).toContainEqual(unknown('medications.1.discharge.doze'));

    const after = await api('GET', `/v1/encounters/${id}`);
    expect(after.headers.get('etag')).toBe(etag);
    expect(after.body.needsAssessment).toBeUndefined();
    expect(after.body.medicationReconciliation).toBeUndefined();
    expect((await api('GET', `/v1/encounters/${id}/needs-assessment`)).status).toBe(404);
    expect((await api('GET', `/v1/encounters/${id}/medication-reconciliation`)).status).toBe(404);
  });
});

describe('completing a task with a misspelt field', () => {
  it('"dat" for "data", or "note" inside it, is 400 naming it; the task stays open and the workflow waits; the corrected completion plans the services', async () => {
    const { encounterId } = (
      await api('POST', '/v1/encounters', syntheticAdmission({ admittedAt: new Date(Date.now() - 86_400_000).toISOString() }))
    ).body;
    let task: any;
    await expect
      .poll(
        async () =>
          (task = ((await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items as any[]).find(
            (t) => t.type === 'needs-assessment',
          ))?.type,
        poll,
      )
      .toBe('needs-assessment');
    const waitingIn = (await api('GET', `/v1/encounters/${encounterId}`)).body.workflow.currentState as string;

    const complete = (body: unknown) => api('POST', `/v1/tasks/${task.taskId}/complete`, body, {}, careManager);
    expect(await complete({ outcome: 'completed', dat: { needs: ['durable-medical-equipment', 'meals'] } })).toMatchObject({
      status: 400,
      body: { issues: [unknown('dat')] },
    });
    expect(await complete({ outcome: 'completed', data: { needs: ['meals'], note: 'Lives alone' } })).toMatchObject({
      status: 400,
      body: { issues: [unknown('data.note')] },
    });

    const open = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items as any[];
    expect(open.find((t) => t.taskId === task.taskId)).toMatchObject({ status: 'open' });
    const encounter = (await api('GET', `/v1/encounters/${encounterId}`)).body;
    expect(encounter.workflow).toMatchObject({ status: 'RUNNING', currentState: waitingIn });
    expect(encounter.dischargePlan).toBeUndefined();

    expect(
      (await complete({ outcome: 'completed', data: { needs: ['durable-medical-equipment', 'meals'], notes: 'Lives alone' } })).status,
    ).toBe(200);
    await expect
      .poll(async () => (await api('GET', `/v1/encounters/${encounterId}`)).body.dischargePlan, poll)
      .toMatchObject({ path: 'home-with-services', services: ['durable-medical-equipment', 'meals'] });
  });
});
