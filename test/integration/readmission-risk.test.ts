import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadStageConfig } from '../../infra/config/stage';
import { lengthOfStayDays } from '../../shared/domain/length-of-stay';
import { syntheticAdmission } from '../fixtures/admissions';
import { etagFor } from '../fixtures/discharge-planning';
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

/** The risk's own ETag (GET …/risk), which its inputs and override take ("0" before the first). */
const riskEtag = (id: string) => etagFor(id, '/risk-inputs');

/** An outpatient visit: no workflow writes to it, so the versions below are the test's own. */
async function visit() {
  const admittedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const { body } = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient', admittedAt }));
  return { id: body.encounterId as string, etag: await riskEtag(body.encounterId), admittedAt };
}

describe('readmission risk on an encounter', () => {
  it('computes LACE and HOSPITAL with every item once inputs are recorded', async () => {
    const { id, etag, admittedAt } = await visit();
    expect((await api('GET', `/v1/encounters/${id}/risk`)).status).toBe(404);
    const recorded = await api('PUT', `/v1/encounters/${id}/risk-inputs`, inputs, { 'if-match': etag });
    expect(recorded.status).toBe(200);
    const los = lengthOfStayDays(admittedAt, new Date().toISOString(), loadStageConfig('dev').facilityTimeZones.F1!);
    const lPoints = los < 1 ? 0 : los <= 3 ? los : los <= 6 ? 4 : 5;
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
    const recorded = await api(
      'PUT',
      `/v1/encounters/${id}/risk-inputs`,
      { ...inputs, conditions: [], edVisitsPrior6Months: 0 },
      { 'if-match': etag },
    );
    const computed = recorded.body.lace.tier;
    const next = recorded.headers.get('etag')!;
    const tooShort = await api(
      'PUT',
      `/v1/encounters/${id}/risk-override`,
      { tier: 'high', reason: 'feel', clinician: 'Dr Synthetic' },
      { 'if-match': next },
    );
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.issues[0].field).toBe('reason');
    const overridden = await api(
      'PUT',
      `/v1/encounters/${id}/risk-override`,
      { tier: 'high', reason: 'Lives alone; missed two follow-ups last year', clinician: 'Dr Synthetic' },
      { 'if-match': next },
    );
    expect(overridden.body).toMatchObject({
      tier: 'high',
      lace: { tier: computed },
      override: { tier: 'high', clinician: 'Dr Synthetic' },
    });
  });

  it('names each bad input', async () => {
    const { id, etag } = await visit();
    const response = await api(
      'PUT',
      `/v1/encounters/${id}/risk-inputs`,
      { ...inputs, conditions: ['heart failure'], edVisitsPrior6Months: -1 },
      { 'if-match': etag },
    );
    expect(response.status).toBe(400);
    expect(response.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['conditions.0', 'edVisitsPrior6Months']);
  });
});

describe('prior ED visits and admissions come from the stays Carepath holds', () => {
  const DAY = 86_400_000;
  const ago = (days: number, hours = 0) => new Date(Date.now() - days * DAY - hours * 3_600_000).toISOString();

  it('counts earlier inpatient stays in 12 months and ED visits in 6, shows them beside a clinician’s count, and lets that count win', async () => {
    const identifier = { system: 'urn:example:mrn', value: `MRN-RISK-${randomUUID().slice(0, 8)}` };
    const stay = async (cls: string, admittedAt: string, admissionType = 'emergency') => {
      const response = await api(
        'POST',
        '/v1/encounters',
        syntheticAdmission({ class: cls, admissionType, admittedAt, patient: { ...syntheticAdmission().patient, identifier } }),
      );
      expect(response.status).toBe(201);
      return response.body.encounterId as string;
    };
    // Inpatient 40 and 300 days ago count; 400 days ago does not. ED 20 days ago counts; 200 days
    // ago does not, nor the ED visit 6 hours before this admission (the one that led to it).
    const recent = await stay('inpatient', ago(40), 'elective');
    const older = await stay('inpatient', ago(300));
    await stay('inpatient', ago(400));
    const edVisit = await stay('emergency', ago(20));
    await stay('emergency', ago(200));
    await stay('emergency', ago(1, 6));
    await stay('observation', ago(60));
    // The index stay: an outpatient visit, so no workflow changes its version under the test.
    const index = await stay('outpatient', ago(1));
    const etag = await riskEtag(index);
    const withoutCounts = { conditions: ['I50.9'], oncologyService: false, procedureDuringStay: false };

    const derived = await api('PUT', `/v1/encounters/${index}/risk-inputs`, withoutCounts, { 'if-match': etag });
    expect(derived.status).toBe(200);
    expect(derived.body.priorUse.admissionsPrior12Months).toMatchObject({ used: 2, source: 'derived', derived: { count: 2 } });
    expect([...derived.body.priorUse.admissionsPrior12Months.derived.encounterIds].sort()).toEqual([recent, older].sort());
    expect(derived.body.priorUse.edVisitsPrior6Months).toMatchObject({
      used: 1,
      source: 'derived',
      derived: { count: 1, encounterIds: [edVisit] },
    });
    expect(derived.body.lace.items.find((i: { item: string }) => i.item.startsWith('E'))).toMatchObject({ value: 1, points: 1 });
    expect(derived.body.hospital.items.find((i: { item: string }) => i.item.startsWith('A:'))).toMatchObject({ value: 2, points: 2 });

    // The clinician knows of admissions elsewhere: their count is scored, Carepath's stays beside it.
    const manual = await api(
      'PUT',
      `/v1/encounters/${index}/risk-inputs`,
      { ...withoutCounts, admissionsPrior12Months: 6 },
      { 'if-match': derived.headers.get('etag')! },
    );
    expect(manual.body.priorUse.admissionsPrior12Months).toMatchObject({ used: 6, source: 'manual', manual: 6, derived: { count: 2 } });
    expect(manual.body.hospital.items.find((i: { item: string }) => i.item.startsWith('A:'))).toMatchObject({ value: 6, points: 5 });
    expect((await api('GET', `/v1/encounters/${index}/risk`)).body.priorUse).toEqual(manual.body.priorUse);
  });

  it('scores a stay that has not yet spanned a local midnight as LACE "<1 day"', async () => {
    // Admitted 2 seconds ago: a stay with no midnight in it (wrong only in the 2 s after the facility's midnight).
    const admittedAt = new Date(Date.now() - 2_000).toISOString();
    const { body } = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient', admittedAt }));
    const etag = await riskEtag(body.encounterId);
    const risk = await api('PUT', `/v1/encounters/${body.encounterId}/risk-inputs`, inputs, { 'if-match': etag });
    expect(risk.body.lengthOfStayDays).toBe(0);
    expect(risk.body.lace.items[0]).toMatchObject({ value: 0, points: 0 });
  });
});
