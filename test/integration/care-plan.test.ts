import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api } from '../support/clients';

async function encounter() {
  return (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body.encounterId as string;
}

describe('care plan: versions, templates, history', () => {
  it('starts from a template, versions every change, and keeps the history', async () => {
    const id = await encounter();
    expect((await api('GET', `/v1/encounters/${id}/care-plan`)).status).toBe(404);
    const { templates } = (await api('GET', '/v1/care-plan-templates')).body;
    expect(Object.keys(templates).sort()).toEqual(['copd', 'diabetes', 'heart-failure', 'hip-knee-replacement']);

    const draft = { status: 'draft', problems: [templates['heart-failure']], author: 'CM Synthetic' };
    expect((await api('PUT', `/v1/encounters/${id}/care-plan`, draft)).status).toBe(428);
    const first = await api('PUT', `/v1/encounters/${id}/care-plan`, draft, { 'if-match': '"0"' });
    expect(first).toMatchObject({ status: 201, body: { version: 1, status: 'draft', problems: [{ code: 'I50.9' }] } });
    expect(first.headers.get('etag')).toBe('"1"');

    const active = {
      ...draft,
      status: 'active',
      problems: [
        {
          ...templates['heart-failure'],
          goals: templates['heart-failure'].goals.map((g: object) => ({ ...g, status: 'active', dueDate: '2026-12-01' })),
        },
      ],
    };
    const second = await api('PUT', `/v1/encounters/${id}/care-plan`, active, { 'if-match': '"1"' });
    expect(second).toMatchObject({ status: 200, body: { version: 2, status: 'active' } });

    const history = (await api('GET', `/v1/encounters/${id}/care-plan/history`)).body.items;
    expect(history.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [1, 'draft'],
      [2, 'active'],
    ]);
    expect((await api('GET', `/v1/encounters/${id}/care-plan`)).headers.get('etag')).toBe('"2"');
  });

  it('two clients updating one plan: exactly one wins, the other gets 412', async () => {
    const id = await encounter();
    const plan = { status: 'active', problems: [], author: 'CM' };
    await api('PUT', `/v1/encounters/${id}/care-plan`, plan, { 'if-match': '"0"' });
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((who) => api('PUT', `/v1/encounters/${id}/care-plan`, { ...plan, author: who }, { 'if-match': '"1"' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412]);
    expect((await api('GET', `/v1/encounters/${id}/care-plan/history`)).body.items).toHaveLength(2);
    // Creating a second "first" plan is refused too.
    expect((await api('PUT', `/v1/encounters/${id}/care-plan`, plan, { 'if-match': '"0"' })).status).toBe(412);
  });

  it('100 parallel updates of one plan: each is applied or answered 412, and every applied one is in the history', async () => {
    const id = await encounter();
    const plan = { status: 'active', problems: [], author: 'CM' };
    await api('PUT', `/v1/encounters/${id}/care-plan`, plan, { 'if-match': '"0"' });
    // Half send the current version, half an older one; all at once.
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        api('PUT', `/v1/encounters/${id}/care-plan`, { ...plan, author: `writer-${i}` }, { 'if-match': i % 2 ? '"1"' : '"0"' }).then(
          (r) => ({ author: `writer-${i}`, status: r.status }),
        ),
      ),
    );
    expect(results.filter((r) => r.status !== 200 && r.status !== 412)).toEqual([]);
    const applied = results.filter((r) => r.status === 200).map((r) => r.author);
    expect(applied).toHaveLength(1);
    const history = (await api('GET', `/v1/encounters/${id}/care-plan/history`)).body.items as Array<{ version: number; author: string }>;
    expect(history.map((v) => v.author)).toEqual(['CM', ...applied]);
    expect((await api('GET', `/v1/encounters/${id}/care-plan`)).body).toMatchObject({ version: 2, author: applied[0] });
  });

  it('names each bad field', async () => {
    const id = await encounter();
    const response = await api(
      'PUT',
      `/v1/encounters/${id}/care-plan`,
      {
        status: 'maybe',
        problems: [
          {
            description: 'X',
            goals: [{ description: 'Y', status: 'done' }],
            interventions: [{ description: 'Z', ownerRole: 'janitor', status: 'not-started' }],
          },
        ],
        author: 'CM',
      },
      { 'if-match': '"0"' },
    );
    expect(response.status).toBe(400);
    expect(response.body.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'problems.0.goals.0.status',
      'problems.0.interventions.0.ownerRole',
      'status',
    ]);
  });
});
