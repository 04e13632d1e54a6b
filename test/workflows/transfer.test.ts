import { afterAll, describe, expect, it } from 'vitest';
import { TRANSFER_STATES as S } from '../../workflows/transfer/definition';
import { TRANSFER_PATHS } from '../../workflows/transfer/paths';
import { syntheticAdmission } from '../fixtures/admissions';
import { statesEntered as statesEnteredBy } from '../support/executions';
import { api, localSfn, localStack } from '../support/clients';

const sfn = localSfn();
afterAll(() => sfn.destroy());
const poll = { timeout: 20_000, interval: 150 };

const statesEntered = (executionArn: string) => statesEnteredBy(sfn, executionArn);

async function requestTransfer(receivingFacilities: string[]) {
  const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
  const requested = await api('POST', `/v1/encounters/${encounterId}/transfers`, {
    reason: 'Needs intensive inpatient rehabilitation',
    receivingFacilities,
    requestedBy: 'cm-synthetic',
  });
  expect(requested.status).toBe(201);
  const path = `/v1/encounters/${encounterId}/transfers/${requested.body.transferId}`;
  const read = async () => (await api('GET', path)).body;
  const waitingIn = (state: string) => expect.poll(async () => (await read()).workflow?.currentState, poll).toBe(state);
  return { encounterId, path, read, waitingIn, transfer: requested.body };
}

describe('transfer to another facility', () => {
  it('IRF transfer cancelled midway: accepted, transport arranged, cancelled before arrival; the bed is released and the transport cancelled', async () => {
    const { path, read, waitingIn, transfer, encounterId } = await requestTransfer(['irf-northside']);
    expect(transfer.executionName).toBe(`transfer-${encounterId}-1`);
    await waitingIn(S.awaitAnswer);
    expect(
      (await api('POST', `${path}/answer`, { decision: 'accept', providerId: 'irf-northside', answeredBy: 'irf-admissions' })).status,
    ).toBe(200);
    await waitingIn(S.awaitTransport);
    expect((await api('GET', `/v1/encounters/${encounterId}/transition-record`)).body.recipients).toEqual(
      expect.arrayContaining([{ kind: 'next-provider', providerId: 'irf-northside', name: 'Northside Rehabilitation Hospital' }]),
    );
    const transport = { mode: 'ground-bls', vendor: 'Synthetic Ambulance Co', pickupAt: new Date(Date.now() + 3_600_000).toISOString() };
    expect((await api('PUT', `${path}/transport`, transport)).status).toBe(200);
    await waitingIn(S.awaitArrival);

    const cancel = await api('POST', `${path}/cancel`, { reason: 'Patient declined the transfer', by: 'cm-synthetic' });
    expect(cancel.status).toBe(202);
    await expect.poll(async () => (await read()).workflow?.status, poll).toBe('SUCCEEDED');
    const done = await read();
    expect(done).toMatchObject({
      status: 'cancelled',
      cancel: { reason: 'Patient declined the transfer', by: 'cm-synthetic' },
      compensated: { bedReleased: true, transportCancelled: true },
      candidates: [{ providerId: 'irf-northside', status: 'released' }],
      transport: { mode: 'ground-bls', cancelledAt: expect.any(String) },
    });
    expect(done.workflow.currentState).toBe(S.cancelled);
    expect(await statesEntered(done.workflow.executionArn)).toEqual(TRANSFER_PATHS.cancelledBeforeArrival.states);
    // Cancelled is final: a late arrival is refused, a second cancel changes nothing.
    expect((await api('POST', `${path}/arrival`, { arrivedAt: new Date().toISOString(), confirmedBy: 'irf' })).status).toBe(409);
    expect((await api('POST', `${path}/cancel`, { reason: 'again', by: 'cm-synthetic' })).status).toBe(202);
  });

  it('a decline moves to the next facility; the second accepts; records, transport, arrival close it', async () => {
    const { path, read, waitingIn } = await requestTransfer(['hospital-university', 'hospital-st-vincent']);
    await waitingIn(S.awaitAnswer);
    // Only the facility asked may answer, and a decline needs its reason.
    expect((await api('POST', `${path}/answer`, { decision: 'accept', providerId: 'hospital-st-vincent', answeredBy: 'x' })).status).toBe(
      409,
    );
    const noReason = await api('POST', `${path}/answer`, { decision: 'decline', providerId: 'hospital-university', answeredBy: 'x' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.issues).toEqual([{ field: 'reason', reason: expect.any(String) }]);
    expect(
      (
        await api('POST', `${path}/answer`, {
          decision: 'decline',
          providerId: 'hospital-university',
          answeredBy: 'uh-transfer-center',
          reason: 'No ICU bed',
        })
      ).status,
    ).toBe(200);
    await expect.poll(async () => (await read()).candidates.map((c: { status: string }) => c.status), poll).toEqual(['declined', 'asked']);
    await waitingIn(S.awaitAnswer);
    expect(
      (await api('POST', `${path}/answer`, { decision: 'accept', providerId: 'hospital-st-vincent', answeredBy: 'svr-transfer-center' }))
        .status,
    ).toBe(200);
    await waitingIn(S.awaitTransport);
    expect(
      (await api('PUT', `${path}/transport`, { mode: 'critical-care-ground', vendor: 'Synthetic CCT', pickupAt: new Date().toISOString() }))
        .status,
    ).toBe(200);
    await waitingIn(S.awaitArrival);
    expect(
      (await api('POST', `${path}/arrival`, { arrivedAt: new Date(Date.now() + 86_400_000).toISOString(), confirmedBy: 'svr' })).body
        .issues,
    ).toEqual([{ field: 'arrivedAt', reason: 'must not be in the future' }]);
    expect((await api('POST', `${path}/arrival`, { arrivedAt: new Date().toISOString(), confirmedBy: 'svr-nursing' })).status).toBe(200);
    await expect.poll(async () => (await read()).workflow?.status, poll).toBe('SUCCEEDED');
    const done = await read();
    expect(done).toMatchObject({ status: 'arrived', recordsSentAt: expect.any(String) });
    expect(done.compensated).toBeUndefined();
    expect(await statesEntered(done.workflow.executionArn)).toEqual(TRANSFER_PATHS.declineThenAccept.states);
  });

  it('a facility that does not answer in time is marked timed out and the next is asked', async () => {
    const { path, read, waitingIn } = await requestTransfer(['ltch-harbor', 'irf-northside']);
    await waitingIn(S.awaitAnswer);
    // The 4-hour answer deadline, passed now through the local endpoint's time-out control.
    const timedOut = await fetch(`${localStack().stepFunctionsUrl}/_local/time-out`, {
      method: 'POST',
      body: JSON.stringify({ executionArn: (await read()).workflow.executionArn, state: S.awaitAnswer }),
    });
    expect(await timedOut.json()).toEqual({ timedOut: 1 });
    await expect.poll(async () => (await read()).candidates.map((c: { status: string }) => c.status), poll).toEqual(['timed-out', 'asked']);
    // Too late for the silent one.
    expect((await api('POST', `${path}/answer`, { decision: 'accept', providerId: 'ltch-harbor', answeredBy: 'late' })).status).toBe(409);
    await waitingIn(S.awaitAnswer);
    expect((await api('POST', `${path}/answer`, { decision: 'accept', providerId: 'irf-northside', answeredBy: 'irf' })).status).toBe(200);
    await waitingIn(S.awaitTransport);
    expect(
      (await api('PUT', `${path}/transport`, { mode: 'ground-als', vendor: 'Synthetic ALS', pickupAt: new Date().toISOString() })).status,
    ).toBe(200);
    await waitingIn(S.awaitArrival);
    expect((await api('POST', `${path}/arrival`, { arrivedAt: new Date().toISOString(), confirmedBy: 'irf' })).status).toBe(200);
    await expect.poll(async () => (await read()).workflow?.status, poll).toBe('SUCCEEDED');
    expect(await statesEntered((await read()).workflow.executionArn)).toEqual(TRANSFER_PATHS.silenceThenAccept.states);
  });

  it('refuses a facility that is not an inpatient facility serving this hospital, and a second open transfer', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    const bad = await api('POST', `/v1/encounters/${encounterId}/transfers`, {
      reason: 'r',
      receivingFacilities: ['hha-riverside', 'nowhere'],
      requestedBy: 'cm',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field)).toEqual(['receivingFacilities.0', 'receivingFacilities.1']);
    const first = await api('POST', `/v1/encounters/${encounterId}/transfers`, {
      reason: 'r',
      receivingFacilities: ['ltch-harbor'],
      requestedBy: 'cm',
    });
    expect(first.status).toBe(201);
    expect(
      (
        await api('POST', `/v1/encounters/${encounterId}/transfers`, {
          reason: 'r',
          receivingFacilities: ['irf-northside'],
          requestedBy: 'cm',
        })
      ).status,
    ).toBe(409);
    // Another facility's client cannot see it.
    expect((await api('GET', `/v1/encounters/${encounterId}/transfers/${first.body.transferId}`, undefined, {}, 'F2')).status).toBe(404);
  });
});
