import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api } from '../support/clients';

const path = (id: string) => `/v1/encounters/${id}/medication-reconciliation`;
const medications = [
  { drug: 'sertraline', decision: 'continued', home: { dose: '50 mg', frequency: 'daily' }, discharge: { dose: '50 mg', frequency: 'daily' }, reason: 'Mood stable' },
  { drug: 'phenelzine', decision: 'new', discharge: { dose: '15 mg', frequency: 'three times daily' }, reason: 'Started by psychiatry' },
  { drug: 'ibuprofen', decision: 'stopped', home: { dose: '400 mg' }, reason: 'Acute kidney injury' },
];

async function visit() {
  const { body } = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }));
  return body.encounterId as string;
}
const etagOf = async (id: string) => (await api('GET', `/v1/encounters/${id}`)).headers.get('etag')!;

describe('medication reconciliation', () => {
  it('blocks on a high-severity interaction until a pharmacist acknowledges it with a reason', async () => {
    const id = await visit();
    const reconciled = await api('PUT', path(id), { medications, reconciledBy: 'PharmD Synthetic' }, { 'if-match': await etagOf(id) });
    expect(reconciled).toMatchObject({ status: 200, body: { status: 'blocked', interactions: [{ ruleId: 'ssri-maoi', severity: 'high', drugs: ['phenelzine', 'sertraline'] }] } });
    const interactionId = reconciled.body.interactions[0].interactionId as string;

    const byNurse = await api('POST', `${path(id)}/acknowledgements`, { interactionId, role: 'nurse', by: 'RN', reason: 'Looks fine to me' }, { 'if-match': reconciled.headers.get('etag')! });
    expect(byNurse.body.issues.map((i: { field: string }) => i.field)).toEqual(['role']);
    const stale = await api('POST', `${path(id)}/acknowledgements`, { interactionId, role: 'pharmacist', by: 'PharmD', reason: 'Cross-taper supervised' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    const unknown = await api('POST', `${path(id)}/acknowledgements`, { interactionId: 'nope', role: 'pharmacist', by: 'PharmD', reason: 'Cross-taper supervised' }, { 'if-match': reconciled.headers.get('etag')! });
    expect(unknown.body.issues.map((i: { field: string }) => i.field)).toEqual(['interactionId']);

    const acknowledged = await api('POST', `${path(id)}/acknowledgements`, { interactionId, role: 'pharmacist', by: 'PharmD Synthetic', reason: 'Psychiatry supervises the cross-taper; washout planned' }, { 'if-match': reconciled.headers.get('etag')! });
    expect(acknowledged).toMatchObject({ status: 200, body: { status: 'complete', interactions: [{ acknowledgement: { role: 'pharmacist' } }] } });
    expect((await api('GET', `/v1/encounters/${id}`)).body.medicationReconciliation.status).toBe('complete');
  });

  it('reports each bad medication field, and hides other facilities', async () => {
    const id = await visit();
    const bad = await api(
      'PUT',
      path(id),
      {
        medications: [
          { drug: 'x', decision: 'continued', discharge: { dose: '1 mg' }, reason: 'ok!' },
          { drug: 'metformin', decision: 'new', home: { dose: '500 mg' }, discharge: { dose: '500 mg' }, reason: 'ok!' },
          { drug: 'Metformin', decision: 'paused', reason: '' },
        ],
        reconciledBy: '',
      },
      { 'if-match': await etagOf(id) },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(
      ['medications.0.drug', 'medications.2.decision', 'medications.2.reason', 'reconciledBy'].sort(),
    );
    const rules = await api('PUT', path(id), { medications: [{ drug: 'metformin', decision: 'new', home: { dose: '500 mg' }, discharge: { dose: '500 mg' }, reason: 'ok!' }, { drug: 'Metformin', decision: 'stopped', reason: 'dup' , home: { dose: '1 mg' } }], reconciledBy: 'PharmD' }, { 'if-match': await etagOf(id) });
    expect(rules.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['medications.0.home', 'medications.1.drug']);
    expect((await api('PUT', path(id), { medications, reconciledBy: 'x' }, { 'if-match': '"1"' }, 'F2')).status).toBe(404);
    expect((await api('PUT', path(id), { medications, reconciledBy: 'x' })).status).toBe(428);
  });
});
