import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { STATES } from '../../workflows/discharge-planning/definition';
import { syntheticAdmission } from '../fixtures/admissions';
import { api, localSfn } from '../support/clients';

const sfn = localSfn();
afterAll(() => sfn.destroy());
const poll = { timeout: 15_000, interval: 100 };

describe('education with teach-back', () => {
  it('keeps an item open until understood, and the discharge workflow sees how many are open', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    const added = await api('POST', `/v1/encounters/${encounterId}/education`, {
      topic: 'Daily weights and when to call for heart failure',
      audience: 'patient-and-caregiver',
      language: 'en',
      method: 'demonstration',
    });
    expect(added).toMatchObject({ status: 201, body: { open: true, version: 1 } });
    const itemId = added.body.itemId;

    const partly = await api(
      'PUT',
      `/v1/encounters/${encounterId}/education/${itemId}/teach-back`,
      { outcome: 'needs-reinforcement', educator: 'RN Synthetic' },
      { 'if-match': added.headers.get('etag')! },
    );
    expect(partly).toMatchObject({ status: 200, body: { open: true, teachBack: { outcome: 'needs-reinforcement' } } });
    expect(
      (
        await api(
          'PUT',
          `/v1/encounters/${encounterId}/education/${itemId}/teach-back`,
          { outcome: 'understood', educator: 'RN' },
          { 'if-match': '"1"' },
        )
      ).status,
    ).toBe(412);
    expect((await api('GET', `/v1/encounters/${encounterId}/education`)).body.open).toBe(1);

    // The plan step reports the open item to the workflow.
    let assessment: { taskId: string } | undefined;
    await expect
      .poll(
        async () => (assessment = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items[0]) !== undefined,
        poll,
      )
      .toBe(true);
    await api('POST', `/v1/tasks/${assessment!.taskId}/complete`, { outcome: 'completed' });
    const { workflow } = (await api('GET', `/v1/encounters/${encounterId}`)).body;
    await expect
      .poll(async () => {
        const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: workflow.executionArn, maxResults: 1000 }));
        const exited = history.events?.find((e) => e.stateExitedEventDetails?.name === STATES.buildPlan);
        return exited ? JSON.parse(exited.stateExitedEventDetails!.output!).plan.openEducation : undefined;
      }, poll)
      .toBe(1);

    const understood = await api(
      'PUT',
      `/v1/encounters/${encounterId}/education/${itemId}/teach-back`,
      { outcome: 'understood', educator: 'RN Synthetic', notes: 'Explained back the weight limits' },
      { 'if-match': partly.headers.get('etag')! },
    );
    expect(understood.body.open).toBe(false);
    expect((await api('GET', `/v1/encounters/${encounterId}/education`)).body.open).toBe(0);
  });

  it('names each bad field, and hides other facilities', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const bad = await api('POST', `/v1/encounters/${encounterId}/education`, {
      topic: 'x',
      audience: 'neighbour',
      language: 'English',
      method: 'telepathy',
    });
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['audience', 'language', 'method', 'topic']);
    expect((await api('GET', `/v1/encounters/${encounterId}/education`, undefined, {}, 'F2')).status).toBe(404);
  });
});
