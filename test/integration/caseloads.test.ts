import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { adt, firstEncounterOfMrn, msa, uniq } from '../fixtures/adt';
import { api, sendAdt } from '../support/clients';

const poll = { timeout: 20_000, interval: 150 };
const encounter = async (id: string) => (await api('GET', `/v1/encounters/${id}`)).body;
const careManagerOf = async (id: string) => {
  let careManagerId = '';
  await expect.poll(async () => (careManagerId = (await encounter(id)).careManagerId ?? ''), poll).not.toBe('');
  return careManagerId;
};
const caseload = async (careManagerId: string) => (await api('GET', `/v1/care-managers/${careManagerId}/caseload`)).body;

describe('caseloads', () => {
  it('assigns each new stay to a care manager of its unit with room: three ICU admissions at once fill the one ICU care manager (at most 2)', async () => {
    const stays = await Promise.all(
      [1, 2, 3].map(async () => (await api('POST', '/v1/encounters', syntheticAdmission({ unit: 'ICU' }))).body.encounterId as string),
    );
    await expect.poll(async () => (await caseload('cm-icu')).load, poll).toBe(2);
    // Give the third a moment: it must stay unassigned, not go over the maximum.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const assigned = await Promise.all(stays.map(async (id) => (await encounter(id)).careManagerId ?? null));
    expect(assigned.filter((cm) => cm === 'cm-icu')).toHaveLength(2);
    expect(assigned.filter((cm) => cm === null)).toHaveLength(1);
    const view = await caseload('cm-icu');
    expect(view).toMatchObject({ careManager: { careManagerId: 'cm-icu', units: ['ICU'], maxCaseload: 2 }, load: 2 });
    expect(view.items.map((i: { encounterId: string }) => i.encounterId).sort()).toEqual(stays.filter((_, i) => assigned[i]).sort());
    expect((await api('GET', '/v1/care-managers/cm-nobody/caseload')).status).toBe(404);
  });

  it('reassigns a stay with its open care-manager tasks, audited; a discharge takes it out of the caseload', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    expect(msa((await sendAdt(adt({ event: 'A01', mrn, visit, at: '202611230800' }))).ack).code).toBe('AA');
    const encounterId = await firstEncounterOfMrn(mrn);
    const first = await careManagerOf(encounterId);
    expect(['cm-adams', 'cm-baker']).toContain(first);
    const other = first === 'cm-adams' ? 'cm-baker' : 'cm-adams';
    await expect
      .poll(async () => (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.length, poll)
      .toBeGreaterThan(0);

    const reassign = async (careManagerId: string) => {
      const current = await api('GET', `/v1/encounters/${encounterId}`);
      return api(
        'PUT',
        `/v1/encounters/${encounterId}/care-manager`,
        { careManagerId, reason: 'Balancing caseloads', by: 'Lead CM Synthetic' },
        { 'if-match': current.headers.get('etag')! },
      );
    };
    expect((await reassign('cm-icu')).status).toBe(409); // does not cover 4W
    expect((await reassign('cm-ghost')).body.issues).toEqual([
      { field: 'careManagerId', reason: 'is not a care manager of this facility' },
    ]);
    const moved = await reassign(other);
    expect(moved.body).toMatchObject({ careManagerId: other, previous: first, tasksMoved: 1 });
    const tasks = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items as Array<{
      type: string;
      assigneeId?: string;
    }>;
    expect(tasks.find((t) => t.type === 'needs-assessment')?.assigneeId).toBe(other);
    expect((await caseload(other)).items.map((i: { encounterId: string }) => i.encounterId)).toContain(encounterId);
    expect((await caseload(first)).items.map((i: { encounterId: string }) => i.encounterId)).not.toContain(encounterId);
    const { patientId } = await encounter(encounterId);
    await expect
      .poll(
        async () =>
          (
            (await api('GET', `/v1/patients/${patientId}/audit`, undefined, {}, { facility: 'F1', role: 'auditor' })).body.items as Array<{
              entity: { type: string };
              action: string;
              actor: { role: string };
            }>
          ).some((a) => a.entity.type === 'CareTask' && a.action === 'update' && a.actor.role === 'integration-client'),
        poll,
      )
      .toBe(true);

    // Other tests admit to 4W at the same time, so the stay itself is checked, not the count.
    expect(msa((await sendAdt(adt({ event: 'A03', mrn, visit, at: '202611231400', disposition: '01' }))).ack).code).toBe('AA');
    await expect
      .poll(async () => (await caseload(other)).items.map((i: { encounterId: string }) => i.encounterId), poll)
      .not.toContain(encounterId);
    expect((await encounter(encounterId)).careManagerId).toBe(other);
  });
});
