import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api } from '../support/clients';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const search = (system: string, value: string) => api('GET', `/v1/patients?identifier=${encodeURIComponent(`${system}|${value}`)}`);
const patient = (identifier: { system: string; value: string }) => ({
  identifiers: [{ ...identifier, type: 'MR' }],
  name: { family: 'Østergård', given: ['Synthetic'] },
  birthDate: '1971-09-12',
  sex: 'female',
});

describe('limits in bytes where DynamoDB counts bytes (issue 17 item 4)', () => {
  it('refuses an identifier under its character limit but over its byte limit with 400 naming it, on registration and admission', async () => {
    // 99 characters (the limit is 100) of a three-byte script: 297 bytes, three times as many once URI-encoded into the key.
    const value = `${'番'.repeat(91)}${randomUUID().slice(0, 8)}`;
    expect(value.length).toBeLessThan(100);
    expect(bytes(value)).toBeGreaterThan(200);
    const system = 'ü'.repeat(200);

    const registered = await api('POST', '/v1/patients', patient({ system, value }));
    expect(registered).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'identifiers.0.value', reason: expect.stringContaining('bytes') }] },
    });

    const admission = syntheticAdmission({ class: 'outpatient' }) as any;
    admission.patient.identifier = { system: 'urn:example:mrn', value };
    const admitted = await api('POST', '/v1/encounters', admission);
    expect(admitted).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'patient.identifier.value', reason: expect.stringContaining('bytes') }] },
    });

    const longSystem = await api('POST', '/v1/patients', patient({ system: '系'.repeat(199), value: `MRN-${randomUUID().slice(0, 8)}` }));
    expect(longSystem).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'identifiers.0.system', reason: expect.stringContaining('bytes') }] },
    });

    // Four-byte letters: 120 characters (240 UTF-16 units), 480 bytes; searched, they were a 500.
    const clefs = { system: '𝄞'.repeat(120), value: `MRN-${randomUUID().slice(0, 8)}` };
    expect(await api('POST', '/v1/patients', patient(clefs))).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'identifiers.0.system', reason: expect.stringContaining('bytes') }] },
    });
    // With 60 emoji as the value (240 bytes) the key would be over 2,048 bytes: this search was a 500.
    const searched = await search(clefs.system, '😀'.repeat(60));
    expect(searched.status).toBe(400);
    expect(searched.body.issues.map((issue: { field: string }) => issue.field).sort()).toEqual([
      'query.identifier.system',
      'query.identifier.value',
    ]);
  });

  it('registers a non-ASCII identifier at both limits (201) and finds it by search', async () => {
    // Two-byte letters fill both limits at once: 200 characters = 400 bytes, 100 characters = 200 bytes.
    const system = 'ö'.repeat(200);
    const value = `${'é'.repeat(92)}${randomUUID().slice(0, 8)}`.normalize('NFC');
    expect(bytes(system)).toBe(400);
    expect(value.length).toBe(100);

    const created = await api('POST', '/v1/patients', patient({ system, value }));
    expect(created.status).toBe(201);
    const found = await search(system, value);
    expect(found).toMatchObject({ status: 200, body: { items: [{ patientId: created.body.patientId }] } });

    const everyday = { system: 'urn:oid:2.16.840.1.113883.3.7.4', value: `Ю-${randomUUID().slice(0, 8)}-Ωß` };
    const plain = await api('POST', '/v1/patients', patient(everyday));
    expect(plain.status).toBe(201);
    expect((await search(everyday.system, everyday.value)).body.items).toEqual([
      expect.objectContaining({ patientId: plain.body.patientId }),
    ]);
  });

  it('answers 400 naming the part to a search identifier longer than any identifier, ASCII or not', async () => {
    const long = await search('urn:example:mrn', 'M'.repeat(5000));
    expect(long).toMatchObject({ status: 400, body: { issues: [{ field: 'query.identifier.value' }] } });
    const longSystem = await api('GET', `/v1/patients?identifier=${encodeURIComponent(`${'s'.repeat(5000)}|MRN-1`)}`);
    expect(longSystem).toMatchObject({ status: 400, body: { issues: [{ field: 'query.identifier.system' }] } });
    const wide = await search('urn:example:mrn', '表'.repeat(99));
    expect(wide).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'query.identifier.value', reason: expect.stringContaining('bytes') }] },
    });
    expect(await search('urn:example:mrn', `never-registered-${randomUUID()}`)).toMatchObject({ status: 200, body: { items: [] } });
  });
});

describe('dates before 1900 or of five digits are refused (issue 17 item 5)', () => {
  const years = [
    ['0000', 'must be in 1900 or later'],
    ['0999', 'must be in 1900 or later'],
    ['10000', ''],
  ] as const;

  it.each(years)('admission time in year %s → 400 naming admittedAt', async (year, reason) => {
    const response = await api('POST', '/v1/encounters', syntheticAdmission({ admittedAt: `${year}-03-04T10:00:00Z` }));
    expect(response).toMatchObject({ status: 400, body: { issues: [{ field: 'admittedAt', reason: expect.stringContaining(reason) }] } });
  });

  it.each(years)('observation time in year %s → 400 naming observedAt, nothing recorded', async (year, reason) => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const response = await api('POST', `/v1/encounters/${encounterId}/observations`, {
      code: '8867-4',
      value: 88,
      unit: '/min',
      observedAt: `${year}-11-23T08:00:00+01:00`,
      recordedBy: 'RN Synthetic',
    });
    expect(response).toMatchObject({ status: 400, body: { issues: [{ field: 'observedAt', reason: expect.stringContaining(reason) }] } });
    expect((await api('GET', `/v1/encounters/${encounterId}/observations?code=8867-4`)).body.items).toEqual([]);
  });

  it.each(years)('metrics period from year %s → 400 naming query.from', async (year, reason) => {
    const response = await api('GET', `/v1/metrics?from=${year}-01-01&to=2026-01-31`);
    expect(response).toMatchObject({ status: 400, body: { issues: [{ field: 'query.from', reason: expect.stringContaining(reason) }] } });
  });

  it.each(years)('satisfaction months from year %s → 400 naming query.from', async (year, reason) => {
    const response = await api('GET', `/v1/satisfaction?from=${year}-01&to=2026-01`);
    expect(response).toMatchObject({ status: 400, body: { issues: [{ field: 'query.from', reason: expect.stringContaining(reason) }] } });
  });

  it('still takes dates from 1900 on', async () => {
    expect((await api('GET', '/v1/metrics?from=1900-01-01&to=1900-01-31')).status).toBe(200);
    expect((await api('GET', '/v1/satisfaction?from=1900-01&to=1900-02')).status).toBe(200);
  });
});
