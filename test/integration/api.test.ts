import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../local/auth';
import { api } from '../support/clients';
import { syntheticAdmission } from '../fixtures/admissions';

describe('POST /v1/encounters validation', () => {
  it('answers 400 naming each bad field and why', async () => {
    const body = syntheticAdmission({ class: 'spa-day', admittedAt: 'yesterday', facilityId: 'F 1' }) as any;
    body.patient.birthDate = '1950-13-40';
    const response = await api('POST', '/v1/encounters', body);
    expect(response.status).toBe(400);
    const fields = response.body.issues.map((issue: { field: string }) => issue.field).sort();
    expect(fields).toEqual(['admittedAt', 'class', 'facilityId', 'patient.birthDate']);
    for (const issue of response.body.issues) expect(issue.reason).toEqual(expect.any(String));
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await api('POST', '/v1/encounters', '{"facilityId": ');
    expect(response).toMatchObject({ status: 400, body: { issues: [{ field: 'body', reason: 'is not valid JSON' }] } });
  });

  it('refuses a birth date after the admission', async () => {
    const body = syntheticAdmission() as any;
    body.patient.birthDate = '2027-01-01';
    const response = await api('POST', '/v1/encounters', body);
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ field: 'patient.birthDate', reason: 'must not be after admittedAt' }]);
  });

  it('admits with 201 and a Location, and replays an Idempotency-Key', async () => {
    const body = syntheticAdmission();
    const key = `adm-${randomUUID()}`;
    const first = await api('POST', '/v1/encounters', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/v1/encounters/${first.body.encounterId}`);
    const replay = await api('POST', '/v1/encounters', body, { 'idempotency-key': key });
    expect(replay.body.encounterId).toBe(first.body.encounterId);
    const misuse = await api('POST', '/v1/encounters', { ...body, unit: '9Z' }, { 'idempotency-key': key });
    expect(misuse.status).toBe(409);
  });

  it('refuses an admission time in the future', async () => {
    const response = await api('POST', '/v1/encounters', syntheticAdmission({ admittedAt: '2099-01-01T00:00:00Z' }));
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ field: 'admittedAt', reason: 'must not be in the future' }]);
  });

  it('refuses to link a known identifier to a different birth date (a mistyped MRN)', async () => {
    const first = syntheticAdmission({ class: 'outpatient' }) as any;
    expect((await api('POST', '/v1/encounters', first)).status).toBe(201);
    const other = { ...first, patient: { ...first.patient, birthDate: '1988-08-08' } };
    const response = await api('POST', '/v1/encounters', other);
    expect(response.status).toBe(409);
    expect(response.body.message).toContain('different birth date');
  });

  it('rejects a malformed Idempotency-Key', async () => {
    const response = await api('POST', '/v1/encounters', syntheticAdmission(), { 'idempotency-key': 'x' });
    expect(response.status).toBe(400);
    expect(response.body.issues[0].field).toBe('header.idempotency-key');
  });
});

describe('who may call', () => {
  it('answers 401 without a token, or with a forged one', async () => {
    expect(await api('GET', `/v1/tasks?encounterId=${randomUUID()}`, undefined, {}, null)).toMatchObject({ status: 401 });
    const forged = await api(
      'GET',
      `/v1/tasks?encounterId=${randomUUID()}`,
      undefined,
      { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' },
      null,
    );
    expect(forged.status).toBe(401);
  });

  it('answers 401, as API Gateway would, to a token without expiry, one naming an unknown key, and a 60 KB one', async () => {
    // Signed with the local issuer's own key: only the property under test is wrong.
    const path = `/v1/tasks?encounterId=${randomUUID()}`;
    const tokens = {
      'no exp': await mintLocalToken({ facilityId: 'F1', ttlSeconds: null }),
      'unknown kid': await mintLocalToken({ facilityId: 'F1', kid: 'a-key-the-issuer-never-had' }),
      '60 KB': await mintLocalToken({
        facilityId: 'F1',
        clientId: `big-${'x'.repeat(22_000)}` /* in client_id and sub: a token of about 60 KB */,
      }),
    };
    for (const [what, token] of Object.entries(tokens)) {
      const response = await api('GET', path, undefined, { authorization: `Bearer ${token}` }, null);
      expect(response.status, what).toBe(401);
    }
    // The same minting with nothing wrong is let through (a 2xx or 4xx from the route, not 401).
    expect(
      (await api('GET', path, undefined, { authorization: `Bearer ${await mintLocalToken({ facilityId: 'F1' })}` }, null)).status,
    ).not.toBe(401);
  });

  it('lets a client write only its own facility (403) and hides other facilities (404)', async () => {
    expect((await api('POST', '/v1/encounters', syntheticAdmission({ facilityId: 'F2' }))).status).toBe(403);
    const admitted = await api('POST', '/v1/encounters', syntheticAdmission());
    expect(admitted.status).toBe(201);
    const id = admitted.body.encounterId;
    expect((await api('GET', `/v1/encounters/${id}`)).status).toBe(200);
    expect((await api('GET', `/v1/encounters/${id}`, undefined, {}, 'F2')).status).toBe(404);
    expect((await api('GET', `/v1/tasks?encounterId=${id}`, undefined, {}, 'F2')).status).toBe(404);
  });

  it('takes the facility from the token when the body leaves it out', async () => {
    const { facilityId: _ignored, ...body } = syntheticAdmission();
    const admitted = await api('POST', '/v1/encounters', body, {}, 'F2');
    expect(admitted).toMatchObject({ status: 201, body: { facilityId: 'F2' } });
  });
});

describe('lookups', () => {
  it('answers 404 for an unknown encounter and 400 for a malformed id', async () => {
    expect((await api('GET', `/v1/encounters/${randomUUID()}`)).status).toBe(404);
    const bad = await api('GET', '/v1/encounters/not-an-id');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].field).toBe('path.id');
  });

  it('needs an encounterId to list tasks, and a known one', async () => {
    const missing = await api('GET', '/v1/tasks?status=open');
    expect(missing.status).toBe(400);
    expect(missing.body.issues[0].field).toBe('query.encounterId');
    expect((await api('GET', `/v1/tasks?encounterId=${randomUUID()}`)).status).toBe(404);
    expect((await api('GET', `/v1/tasks?encounterId=${randomUUID()}&status=maybe`)).status).toBe(400);
  });

  it('answers 404 for an unknown task and for an unknown route', async () => {
    expect((await api('POST', `/v1/tasks/${randomUUID()}/complete`, { outcome: 'completed' })).status).toBe(404);
    expect((await api('GET', '/v1/nothing-here')).status).toBe(404);
  });
});

describe('request size', () => {
  it('refuses a JSON body over 256 KiB with 413 naming the body, and stores nothing', async () => {
    const admission = syntheticAdmission({ class: 'outpatient' });
    const huge = { ...admission, notes: 'x'.repeat(300 * 1024) };
    const response = await api('POST', '/v1/encounters', huge);
    expect(response).toMatchObject({ status: 413, body: { error: 'PayloadTooLarge', issues: [{ field: 'body' }] } });
    const found = await api(
      'GET',
      `/v1/patients?identifier=${encodeURIComponent(`${admission.patient.identifier.system}|${admission.patient.identifier.value}`)}`,
    );
    expect(found.body.items ?? []).toEqual([]);
  });
});
