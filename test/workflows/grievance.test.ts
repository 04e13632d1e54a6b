import { afterAll, describe, expect, it } from 'vitest';
import { GRIEVANCE_STATES as S } from '../../workflows/grievance/definition';
import { GRIEVANCE_PATHS } from '../../workflows/grievance/paths';
import { syntheticAdmission } from '../fixtures/admissions';
import { statesEntered as statesEnteredBy } from '../support/executions';
import { api, localSfn } from '../support/clients';

const sfn = localSfn();
afterAll(() => sfn.destroy());
const poll = { timeout: 20_000, interval: 150 };

const statesEntered = (executionArn: string) => statesEnteredBy(sfn, executionArn);

async function file(body: Record<string, unknown>) {
  const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
  const filed = await api('POST', `/v1/encounters/${encounterId}/grievances`, {
    channel: 'letter',
    severity: 'high',
    raisedBy: 'family',
    description: 'Synthetic complaint text',
    namedContact: 'Patient Relations Synthetic',
    ...body,
  });
  expect(filed.status).toBe(201);
  const path = `/v1/encounters/${encounterId}/grievances/${filed.body.grievanceId}`;
  const read = async () => (await api('GET', path)).body;
  return { encounterId, path, read, grievance: filed.body };
}
const decision = (completedAt = new Date().toISOString()) => ({
  contactPerson: 'Patient Relations Synthetic',
  stepsTaken: ['Interviewed the discharging nurse', 'Reviewed the discharge record'],
  results: 'Discharge criteria were met; education repeated by phone',
  completedAt,
  writtenBy: 'Director Synthetic',
});

describe('grievances (42 CFR 482.13)', () => {
  it('a premature-discharge grievance goes to the QIO; the passed acknowledgement deadline is escalated; the written decision closes it', async () => {
    const receivedAt = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const { encounterId, path, read, grievance } = await file({ category: 'premature-discharge', receivedAt });
    expect(grievance).toMatchObject({
      status: 'open',
      acknowledgeBy: new Date(Date.parse(receivedAt) + 7 * 86_400_000).toISOString(),
      resolveBy: new Date(Date.parse(receivedAt) + 30 * 86_400_000).toISOString(),
      executionName: expect.stringMatching(new RegExp(`^grievance-${encounterId}-[0-9a-f]{8}$`)),
    });
    await expect.poll(async () => (await read()).workflow?.currentState, poll).toBe(S.awaitDecision);
    const waiting = await read();
    expect(waiting).toMatchObject({ qioReferral: { reason: 'premature-discharge grievance' }, escalated: ['acknowledgement'] });
    const open = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items as Array<{
      type: string;
      ownerRole: string;
      details?: string[];
    }>;
    expect(open.map((t) => t.type).sort()).toEqual(['escalation', 'grievance-response', 'needs-assessment', 'qio-referral']);
    expect(open.find((t) => t.type === 'grievance-response')).toMatchObject({ ownerRole: 'patient-relations' });
    expect(open.find((t) => t.type === 'escalation')!.details![0]).toMatch(/^Grievance acknowledgement deadline missed/);

    expect((await api('POST', `${path}/notes`, { text: 'Called the family back', by: 'PR Synthetic' })).status).toBe(201);
    const incomplete = await api('POST', `${path}/decision`, { ...decision(), stepsTaken: [] });
    expect(incomplete.body.issues).toEqual([{ field: 'stepsTaken', reason: expect.any(String) }]);
    expect((await api('POST', `${path}/decision`, decision())).status).toBe(200);
    await expect.poll(async () => (await read()).workflow?.status, poll).toBe('SUCCEEDED');
    const done = await read();
    expect(done).toMatchObject({
      status: 'resolved',
      acknowledgedOnTime: false,
      resolvedOnTime: true,
      notes: [{ text: 'Called the family back' }],
    });
    expect(await statesEntered(done.workflow.executionArn)).toEqual(GRIEVANCE_PATHS.qioReferralLateAcknowledgement.states);
    // Resolved is final.
    expect((await api('POST', `${path}/notes`, { text: 'late', by: 'x' })).status).toBe(409);
  });

  it('acknowledged, then decided, both in time', async () => {
    const { path, read } = await file({ category: 'communication' });
    await expect.poll(async () => (await read()).workflow?.currentState, poll).toBe(S.awaitAcknowledgement);
    const future = await api('POST', `${path}/acknowledgement`, {
      acknowledgedAt: new Date(Date.now() + 3_600_000).toISOString(),
      by: 'PR',
    });
    expect(future.body.issues).toEqual([{ field: 'acknowledgedAt', reason: 'must not be in the future' }]);
    expect((await api('POST', `${path}/acknowledgement`, { acknowledgedAt: new Date().toISOString(), by: 'PR' })).status).toBe(200);
    await expect.poll(async () => (await read()).workflow?.currentState, poll).toBe(S.awaitDecision);
    expect((await api('POST', `${path}/decision`, decision())).status).toBe(200);
    await expect.poll(async () => (await read()).workflow?.status, poll).toBe('SUCCEEDED');
    const done = await read();
    expect(done).toMatchObject({ status: 'resolved', acknowledgedOnTime: true, resolvedOnTime: true });
    expect(done.qioReferral).toBeUndefined();
    expect(await statesEntered(done.workflow.executionArn)).toEqual(GRIEVANCE_PATHS.onTime.states);
  });
});
