import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { adtStore } from '../../shared/store/adt-store';
import { syntheticAdmission } from '../fixtures/admissions';
import { adt, msa, patientIdOfMrn, uniq } from '../fixtures/adt';
import { api, localDynamo, localStack, sendAdt } from '../support/clients';

const dynamo = localDynamo();
afterAll(() => dynamo.destroy());

const patient = (family: string) => ({
  identifiers: [{ system: 'urn:example:mrn', value: `TH-${randomUUID().slice(0, 8)}`, type: 'MR' }],
  name: { family, given: ['Synthetic'] },
  birthDate: '1958-02-27',
  sex: 'male',
});

describe('text a clinical record may hold (issue 17 item 5)', () => {
  it('refuses NUL, bidirectional overrides and isolates, and lone surrogates with 400 naming the field', async () => {
    for (const [family, reason] of [
      ['Hal\u0000vorsen', 'NUL'],
      ['\u202Enesrovlah', 'U+202E'],
      ['Halvorsen\u2068', 'U+2068'],
    ]) {
      const response = await api('POST', '/v1/patients', patient(family!));
      expect(response).toMatchObject({
        status: 400,
        body: { issues: [{ field: 'name.family', reason: expect.stringContaining(reason!) }] },
      });
    }
    // A lone surrogate can only arrive as a JSON escape; sent as written, not re-encoded by the client.
    const raw = JSON.stringify(patient('Halvorsen')).replace('"Synthetic"', '"Synth\\ud800etic"');
    expect(await api('POST', '/v1/patients', raw)).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'name.given.0', reason: expect.stringContaining('surrogate') }] },
    });

    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const message = await api('POST', `/v1/encounters/${encounterId}/care-team/messages`, {
      author: 'CM Synthetic',
      body: 'Give 10\u202E gm 01',
    });
    expect(message).toMatchObject({ status: 400, body: { issues: [{ field: 'body', reason: expect.stringContaining('U+202E') }] } });
    expect((await api('GET', `/v1/encounters/${encounterId}/care-team/messages`)).body.items).toEqual([]);
  });

  it('refuses a family or given name of whitespace only, on registration and admission', async () => {
    expect(await api('POST', '/v1/patients', patient('\u00a0 \t'))).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'name.family', reason: 'must not be blank' }] },
    });
    const admission = syntheticAdmission({ class: 'outpatient' }) as any;
    admission.patient.name.given = ['Ines', '   '];
    expect(await api('POST', '/v1/encounters', admission)).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'patient.name.given.1', reason: 'must not be blank' }] },
    });
  });

  it('stores names and free text composed (NFC), so one name has one spelling', async () => {
    const decomposed = 'Bjo\u0308rk-Nu\u0301n\u0303ez';
    const created = await api('POST', '/v1/patients', patient(decomposed));
    expect(created.status).toBe(201);
    const read = await api('GET', `/v1/patients/${created.body.patientId}`);
    expect(read.body.name.family).toBe('Bj\u00f6rk-N\u00fa\u00f1ez');
    expect(read.body.name.family).not.toBe(decomposed);

    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    expect(
      (await api('POST', `/v1/encounters/${encounterId}/care-team/messages`, { author: 'CM Synthetic', body: 'Cafe\u0301 visit, عربي ok' }))
        .status,
    ).toBe(201);
    const [stored] = (await api('GET', `/v1/encounters/${encounterId}/care-team/messages`)).body.items;
    expect(stored.body).toBe('Caf\u00e9 visit, عربي ok');
  });

  it('refuses the same characters in an ADT message (AE naming the field, kept raw, nothing applied) and composes its names to NFC', async () => {
    for (const [family, reason] of [
      ['Sol\u202Eberg', 'U+202E'],
      ['Sol\\X00\\berg', 'NUL'],
      ['Sol\u2067berg', 'U+2067'],
    ]) {
      const controlId = uniq('HYG');
      const mrn = uniq('MRN');
      const { ack } = await sendAdt(adt({ event: 'A28', controlId, mrn, family }));
      expect(msa(ack)).toMatchObject({ code: 'AE', text: expect.stringContaining(reason!) });
      expect(ack).toMatch(/\rERR\|\|PID\^1\^5\|/);
      const stored = await adtStore(dynamo, localStack().tableName).get({ facilityId: 'F1', sendingFacility: 'GENHOSP', controlId });
      expect(stored).toMatchObject({ status: 'rejected', ackCode: 'AE' });
      expect(
        (await api('GET', `/v1/patients?identifier=${encodeURIComponent(`urn:hl7v2:authority:GENHOSP|${mrn}`)}`)).body.items ?? [],
      ).toEqual([]);
    }
    const mrn = uniq('MRN');
    expect(msa((await sendAdt(adt({ event: 'A28', mrn, family: 'Lo\u0308fgren' }))).ack).code).toBe('AA');
    expect((await api('GET', `/v1/patients/${await patientIdOfMrn(mrn)}`)).body.name.family).toBe('L\u00f6fgren');
  });
});
