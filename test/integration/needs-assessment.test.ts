import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api } from '../support/clients';

describe('needs assessment through the API', () => {
  it('turns findings into suggestions a care manager accepts or rejects with a reason', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    // The assessment is its own record: none yet, so its first write takes "0".
    expect((await api('GET', `/v1/encounters/${encounterId}/needs-assessment`)).status).toBe(404);
    const etag = '"0"';
    const assessed = await api(
      'PUT',
      `/v1/encounters/${encounterId}/needs-assessment`,
      {
        domains: {
          functional: { findings: ['adl-dependent-bathing', 'fall-risk'] },
          caregiver: { findings: ['no-caregiver'], notes: 'Daughter lives abroad' },
          nutrition: { findings: ['food-insecurity'] },
        },
        assessedBy: 'CM Synthetic',
      },
      { 'if-match': etag },
    );
    expect(assessed.status).toBe(200);
    expect(assessed.body.suggestions.map((s: { service: string }) => s.service)).toEqual([
      'home-health',
      'durable-medical-equipment',
      'meals',
    ]);
    expect(assessed.headers.get('etag')).toBe('"1"');
    expect(await api('GET', `/v1/encounters/${encounterId}/needs-assessment`)).toMatchObject({
      status: 200,
      body: { suggestions: assessed.body.suggestions },
    });

    const noReason = await api(
      'PUT',
      `/v1/encounters/${encounterId}/needs-assessment/suggestions/meals`,
      { outcome: 'rejected', decidedBy: 'CM' },
      { 'if-match': assessed.headers.get('etag')! },
    );
    expect(noReason.status).toBe(400);
    expect(noReason.body.issues[0]).toEqual({ field: 'reason', reason: 'is required when rejecting a suggestion' });

    const rejected = await api(
      'PUT',
      `/v1/encounters/${encounterId}/needs-assessment/suggestions/meals`,
      { outcome: 'rejected', reason: 'Neighbour cooks daily', decidedBy: 'CM Synthetic' },
      { 'if-match': assessed.headers.get('etag')! },
    );
    expect(rejected.body.suggestions.find((s: { service: string }) => s.service === 'meals').decision).toMatchObject({
      outcome: 'rejected',
      reason: 'Neighbour cooks daily',
    });
    const notSuggested = await api(
      'PUT',
      `/v1/encounters/${encounterId}/needs-assessment/suggestions/dialysis`,
      { outcome: 'accepted', decidedBy: 'CM' },
      { 'if-match': rejected.headers.get('etag')! },
    );
    expect(notSuggested.status).toBe(404);
  });

  it('names each bad finding', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const etag = '"0"';
    const response = await api(
      'PUT',
      `/v1/encounters/${encounterId}/needs-assessment`,
      { domains: { nutrition: { findings: ['hungry'] }, astrology: {} }, assessedBy: 'CM' },
      { 'if-match': etag },
    );
    expect(response.status).toBe(400);
    expect(response.body.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'domains.astrology',
      'domains.nutrition.findings.0',
    ]);
  });
});
