import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api, localStack } from '../support/clients';

const patient = () => ({
  identifiers: [{ system: 'urn:example:mrn', value: `CT-${randomUUID().slice(0, 8)}`, type: 'MR' }],
  name: { family: 'Mediatype', given: ['Synthetic'] },
  birthDate: '1972-09-14',
  sex: 'female',
});

const refusedAs = (type: string) => ({
  status: 415,
  body: { error: 'UnsupportedMediaType', issues: [{ field: 'header.content-type', reason: expect.stringContaining(type) }] },
});

describe('JSON routes take JSON only (issue 17 item 5)', () => {
  it('answers 415 naming header.content-type to a body sent as XML or a form, on several routes', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' })],
      ['POST', '/v1/patients', patient()],
      ['POST', `/v1/encounters/${encounterId}/care-team/messages`, { author: 'CM Synthetic', body: 'Called the daughter' }],
    ];
    for (const [method, path, body] of writes) {
      // The body is valid JSON: only the declared type is wrong, and that alone refuses it.
      expect(await api(method, path, JSON.stringify(body), { 'content-type': 'text/xml' })).toMatchObject(refusedAs('text/xml'));
      expect(await api(method, path, JSON.stringify(body), { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject(
        refusedAs('application/x-www-form-urlencoded'),
      );
      expect(await api(method, path, JSON.stringify(body), { 'content-type': 'multipart/form-data; boundary=x' })).toMatchObject(
        refusedAs('multipart/form-data'),
      );
      expect(await api(method, path, JSON.stringify(body), { 'content-type': 'application/json; charset=iso-8859-1' })).toMatchObject(
        refusedAs('iso-8859-1'),
      );
    }
    // Nothing refused was written: the stay has no message yet.
    expect((await api('GET', `/v1/encounters/${encounterId}/care-team/messages`)).body.items).toEqual([]);
  });

  it('answers 415 to a body with no Content-Type at all', async () => {
    const response = await fetch(`${localStack().httpUrl}/v1/patients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${localStack().tokens.F1}` },
      // bytes, so fetch adds no text/plain of its own
      body: new TextEncoder().encode(JSON.stringify(patient())),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ issues: [{ field: 'header.content-type', reason: expect.stringContaining('missing') }] });
  });

  it('takes application/json with or without a UTF-8 charset, and a +json type', async () => {
    expect((await api('POST', '/v1/patients', patient())).status).toBe(201);
    expect((await api('POST', '/v1/patients', patient(), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
    expect((await api('POST', '/v1/patients', patient(), { 'content-type': 'Application/JSON;Charset="UTF-8"' })).status).toBe(201);
    expect((await api('POST', '/v1/patients', patient(), { 'content-type': 'application/fhir+json' })).status).toBe(201);
    const { encounterId } = (
      await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }), { 'content-type': 'application/json;charset=UTF-8' })
    ).body;
    expect(encounterId).toEqual(expect.any(String));
  });

  it('judges an empty body by its fields, not its type', async () => {
    const response = await fetch(`${localStack().httpUrl}/v1/patients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${localStack().tokens.F1}` },
    });
    expect(response.status).toBe(400);
  });
});
