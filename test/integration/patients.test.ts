import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api } from '../support/clients';

const newPatient = () => ({
  identifiers: [{ system: 'urn:example:mrn', value: `MRN-${randomUUID().slice(0, 8)}`, type: 'MR' }],
  name: { family: 'Testpatient', given: ['Json'] },
  birthDate: '1961-04-05',
  sex: 'male',
});

describe('JSON API for patients', () => {
  it('registers a patient (201, Location, ETag) and refuses a taken identifier (409)', async () => {
    const body = newPatient();
    const created = await api('POST', '/v1/patients', body);
    expect(created).toMatchObject({ status: 201, body: { facilityId: 'F1', version: 1, name: body.name } });
    expect(created.headers.get('location')).toBe(`/v1/patients/${created.body.patientId}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect((await api('POST', '/v1/patients', { ...newPatient(), identifiers: body.identifiers })).status).toBe(409);
  });

  it('answers 400 naming each bad field', async () => {
    const response = await api('POST', '/v1/patients', {
      identifiers: [],
      name: { family: '' },
      birthDate: '2999-01-01',
      sex: 'x',
      extra: 1,
    });
    expect(response.status).toBe(400);
    const fields = response.body.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['identifiers', 'name.family', 'name.given', 'birthDate', 'sex']));
  });

  it('finds a patient by identifier and lists its encounters, only within the facility', async () => {
    const admission = syntheticAdmission({ class: 'outpatient' }) as any;
    const admitted = await api('POST', '/v1/encounters', admission);
    const { system, value } = admission.patient.identifier;
    const found = await api('GET', `/v1/patients?identifier=${encodeURIComponent(`${system}|${value}`)}`);
    expect(found.body.items).toHaveLength(1);
    const patientId = found.body.items[0].patientId;
    expect(patientId).toBe(admitted.body.patientId);
    const encounters = await api('GET', `/v1/patients/${patientId}/encounters`);
    expect(encounters.body.items.map((e: { encounterId: string }) => e.encounterId)).toEqual([admitted.body.encounterId]);
    expect(
      (await api('GET', `/v1/patients?identifier=${encodeURIComponent(`${system}|${value}`)}`, undefined, {}, 'F2')).body.items,
    ).toEqual([]);
    expect((await api('GET', `/v1/patients/${patientId}`, undefined, {}, 'F2')).status).toBe(404);
    expect((await api('GET', '/v1/patients?identifier=no-bar')).status).toBe(400);
  });

  it('updates only with the current version: 428 without If-Match, 412 when stale, one winner of a race', async () => {
    const { body: patient } = await api('POST', '/v1/patients', newPatient());
    const change = { ...newPatient(), identifiers: patient.identifiers, name: { family: 'Renamed', given: ['Json'] } };
    expect((await api('PUT', `/v1/patients/${patient.patientId}`, change)).status).toBe(428);
    const [a, b] = await Promise.all([
      api('PUT', `/v1/patients/${patient.patientId}`, change, { 'if-match': '"1"' }),
      api('PUT', `/v1/patients/${patient.patientId}`, { ...change, sex: 'female' }, { 'if-match': '"1"' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const stored = await api('GET', `/v1/patients/${patient.patientId}`);
    expect(stored.headers.get('etag')).toBe('"2"');
    expect(stored.body.name.family).toBe('Renamed');
  });
});

describe('FHIR R4 reads', () => {
  it('GET /v1/fhir/Patient/{id} is an R4 Patient', async () => {
    const body = newPatient();
    const { body: patient } = await api('POST', '/v1/patients', body);
    const response = await api('GET', `/v1/fhir/Patient/${patient.patientId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+json');
    expect(response.body).toEqual({
      resourceType: 'Patient',
      id: patient.patientId,
      meta: { lastUpdated: patient.updatedAt },
      active: true,
      identifier: [
        {
          system: 'urn:example:mrn',
          value: body.identifiers[0]!.value,
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
        },
      ],
      name: [{ use: 'official', family: 'Testpatient', given: ['Json'] }],
      gender: 'male',
      birthDate: '1961-04-05',
    });
  });

  it('GET /v1/fhir/Encounter/{id} is an R4 Encounter; other facilities get 404', async () => {
    const admitted = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }));
    const response = await api('GET', `/v1/fhir/Encounter/${admitted.body.encounterId}`);
    expect(response.body).toMatchObject({
      resourceType: 'Encounter',
      id: admitted.body.encounterId,
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${admitted.body.patientId}` },
      period: { start: '2026-11-20T08:00:00.000Z' },
    });
    expect((await api('GET', `/v1/fhir/Encounter/${admitted.body.encounterId}`, undefined, {}, 'F2')).status).toBe(404);
  });
});
