import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { etagFor } from '../fixtures/discharge-planning';
import { api } from '../support/clients';

const poll = { timeout: 15_000, interval: 100 };

async function openAssessment(encounterId: string) {
  let task: { taskId: string } | undefined;
  await expect
    .poll(async () => {
      task = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items[0];
      return !!task;
    }, poll)
    .toBe(true);
  return task!;
}

describe('goals, preferences and goals of care', () => {
  it('a comfort-focused goal of care routes the plan to hospice', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    const assessment = await openAssessment(encounterId);
    const etag = await etagFor(encounterId, '/goals-of-care');

    expect(
      (
        await api('PUT', `/v1/encounters/${encounterId}/goals-of-care`, {
          level: 'comfort-focused',
          codeStatus: 'dnr',
          recordedBy: 'RN Synthetic',
        })
      ).status,
    ).toBe(428);
    const goals = await api(
      'PUT',
      `/v1/encounters/${encounterId}/goals-of-care`,
      { level: 'comfort-focused', codeStatus: 'dnr', directives: [{ type: 'polst', signedOn: '2026-10-01' }], recordedBy: 'RN Synthetic' },
      { 'if-match': etag },
    );
    expect(goals).toMatchObject({ status: 200, body: { level: 'comfort-focused', codeStatus: 'dnr', recordedAt: expect.any(String) } });

    const preferences = await api(
      'PUT',
      `/v1/encounters/${encounterId}/goals-and-preferences`,
      {
        goals: ['Be at home with family'],
        treatmentPreferences: ['No further hospital admissions'],
        caregiver: { name: 'Synthetic Caregiver', relationship: 'daughter', available: true },
        preferredLanguage: 'es',
        interpreterNeeded: true,
        recordedBy: 'CM Synthetic',
      },
      { 'if-match': await etagFor(encounterId, '/goals-and-preferences') },
    );
    expect(preferences.status).toBe(200);

    await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed', data: { needs: ['skilled-nursing', 'meals'] } });
    await expect
      .poll(async () => (await api('GET', `/v1/encounters/${encounterId}`)).body.dischargePlan, poll)
      .toMatchObject({
        path: 'hospice',
        services: ['meals'],
      });
    const encounter = (await api('GET', `/v1/encounters/${encounterId}`)).body;
    expect(encounter.goalsAndPreferences).toMatchObject({
      preferredLanguage: 'es',
      interpreterNeeded: true,
      goals: ['Be at home with family'],
    });
  });

  it('names each bad field', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const etag = await etagFor(encounterId, '/goals-and-preferences');
    const response = await api(
      'PUT',
      `/v1/encounters/${encounterId}/goals-and-preferences`,
      {
        preferredLanguage: 'Spanish',
        interpreterNeeded: 'yes',
        recordedBy: '',
        caregiver: { name: 'X', relationship: 'son', phone: 'call me', available: true },
      },
      { 'if-match': etag },
    );
    expect(response.status).toBe(400);
    expect(response.body.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'caregiver.phone',
      'interpreterNeeded',
      'preferredLanguage',
      'recordedBy',
    ]);
  });
});
