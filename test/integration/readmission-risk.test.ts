import { describe, expect, it } from 'vitest';
import { lengthOfStayDays } from '../../shared/domain/risk/readmission-risk';
import { syntheticAdmission } from '../fixtures/admissions';
import { api } from '../support/clients';

const inputs = {
  conditions: ['I50.9', 'J44.1', 'N18.4'],
  edVisitsPrior6Months: 2,
  admissionsPrior12Months: 3,
  haemoglobinAtDischarge: 10.5,
  sodiumAtDischarge: 138,
  oncologyService: false,
  procedureDuringStay: true,
};

/** An outpatient visit: no workflow writes to it, so the versions below are the test's own. */
async function visit() {
  const admittedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const { body } = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient', admittedAt }));
  const read = await api('GET', `/v1/encounters/${body.encounterId}`);
  return { id: body.encounterId as string, etag: read.headers.get('etag')!, admittedAt };
}

describe('readmission risk on an encounter', () => {
  it('computes LACE and HOSPITAL with every item once inputs are recorded', async () => {
    const { id, etag, admittedAt } = await visit();
    expect((await api('GET', `/v1/encounters/${id}/risk`)).status).toBe(404);
    const recorded = await api('PUT', `/v1/encounters/${id}/risk-inputs`, inputs, { 'if-match': etag });
    expect(recorded.status).toBe(200);
    const los = lengthOfStayDays(admittedAt, new Date().toISOString());
    const lPoints = los <= 3 ? los : los <= 6 ? 4 : 5;
    expect(recorded.body).toMatchObject({
      provisional: true,
      lengthOfStayDays: los,
      charlson: { score: 4, categories: ['congestive-heart-failure', 'chronic-pulmonary-disease', 'renal-disease'] },
      lace: { score: lPoints + 3 + 5 + 2, tier: 'high' },
      hospital: { score: 1 + 0 + 0 + 1 + 1 + 2 + (los >= 5 ? 2 : 0) },
      tier: 'high',
    });
    expect(recorded.body.lace.items.map((i: { points: number }) => i.points)).toEqual([lPoints, 3, 5, 2]);
    expect((await api('GET', `/v1/encounters/${id}/risk`)).body.lace.score).toBe(recorded.body.lace.score);
  });

  it('needs the version read (428 without, 412 stale) and lets one of two racing edits win', async () => {
    const { id, etag } = await visit();
    expect((await api('PUT', `/v1/encounters/${id}/risk-inputs`, inputs)).status).toBe(428);
    const [a, b] = await Promise.all([
      api('PUT', `/v1/encounters/${id}/risk-inputs`, inputs, { 'if-match': etag }),
      api('PUT', `/v1/encounters/${id}/risk-inputs`, { ...inputs, edVisitsPrior6Months: 0 }, { 'if-match': etag }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    expect((await api('PUT', `/v1/encounters/${id}/risk-inputs`, inputs, { 'if-match': etag })).status).toBe(412);
  });

  it('keeps a clinician override beside the computed tier, with its reason', async () => {
    const { id, etag } = await visit();
    const recorded = await api('PUT', `/v1/encounters/${id}/risk-inputs`, { ...inputs, conditions: [], edVisitsPrior6Months: 0 }, { 'if-match': etag });
    const computed = recorded.body.lace.tier;
    const next = recorded.headers.get('etag')!;
    const tooShort = await api('PUT', `/v1/encounters/${id}/risk-override`, { tier: 'high', reason: 'feel', clinician: 'Dr Synthetic' }, { 'if-match': next });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.issues[0].field).toBe('reason');
    const overridden = await api(
      'PUT',
      `/v1/encounters/${id}/risk-override`,
      { tier: 'high', reason: 'Lives alone; missed two follow-ups last year', clinician: 'Dr Synthetic' },
      { 'if-match': next },
    );
    expect(overridden.body).toMatchObject({ tier: 'high', lace: { tier: computed }, override: { tier: 'high', clinician: 'Dr Synthetic' } });
  });

  it('names each bad input', async () => {
    const { id, etag } = await visit();
    const response = await api('PUT', `/v1/encounters/${id}/risk-inputs`, { ...inputs, conditions: ['heart failure'], edVisitsPrior6Months: -1 }, { 'if-match': etag });
    expect(response.status).toBe(400);
    expect(response.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['conditions.0', 'edVisitsPrior6Months']);
  });
});
