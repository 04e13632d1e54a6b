import { afterAll, describe, expect, it } from 'vitest';
import { FOLLOW_UP_STATES as S } from '../../workflows/post-discharge-follow-up/definition';
import { FOLLOW_UP_PATHS } from '../../workflows/post-discharge-follow-up/paths';
import { adt, firstEncounterOfMrn, msa, patientIdOfMrn, uniq } from '../fixtures/adt';
import { etagFor } from '../fixtures/discharge-planning';
import { statesEntered as statesEnteredBy } from '../support/executions';
import { api, localSfn, sendAdt } from '../support/clients';

const sfn = localSfn();
afterAll(() => sfn.destroy());
const poll = { timeout: 20_000, interval: 150 };

const encounter = async (id: string) => (await api('GET', `/v1/encounters/${id}`)).body;
const tasksOf = async (encounterId: string, status: string) =>
  (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=${status}`)).body.items as any[];
const hl7 = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(0, 12);

const statesEntered = (executionArn: string) => statesEnteredBy(sfn, executionArn);

/** An inpatient stay admitted and discharged home by the ADT feed; returns its encounter id. */
async function dischargedByAdt(admittedAt: string, dischargedAt: string, disposition = '01') {
  const [mrn, visit] = [uniq('MRN'), uniq('V')];
  expect(msa((await sendAdt(adt({ event: 'A01', mrn, visit, at: admittedAt, admittedAt }))).ack).code).toBe('AA');
  expect(msa((await sendAdt(adt({ event: 'A03', mrn, visit, at: dischargedAt, dischargedAt, disposition }))).ack).code).toBe('AA');
  return { encounterId: await firstEncounterOfMrn(mrn), mrn };
}

describe('post-discharge follow-up (TCM)', () => {
  it('misses the 2-business-day contact over the Labor Day weekend: the deadline skips the holiday, each missed deadline is escalated, the window closes', async () => {
    // Discharged Friday 4 September 2026; Monday 7 September is Labor Day.
    const { encounterId } = await dischargedByAdt('202609010800', '202609041600');
    await expect.poll(async () => (await encounter(encounterId)).followUpWorkflow?.status, poll).toBe('SUCCEEDED');
    const done = await encounter(encounterId);
    expect(done.followUpWorkflow.executionArn).toMatch(new RegExp(`:post-discharge-follow-up-${encounterId}-1$`));
    expect(done.followUp).toMatchObject({
      complexity: 'moderate',
      // Business days after the discharge: Tuesday 8 (1), Wednesday 9 (2). Without the holiday it would be Tuesday.
      // Each deadline ends at F1's local midnight (America/New_York, EDT: 04:00 UTC).
      contactDueBy: '2026-09-10T03:59:59.999Z',
      visitDueBy: '2026-09-19T03:59:59.999Z',
      windowClosesAt: '2026-10-04T03:59:59.999Z',
      contactOutcome: 'missed',
      visitOutcome: 'missed',
      medicationsReconciledByVisit: false,
      status: 'closed',
      attempts: [],
    });
    expect(await statesEntered(done.followUpWorkflow.executionArn)).toEqual(FOLLOW_UP_PATHS.everythingMissed.states);

    const escalations = (await tasksOf(encounterId, 'open')).filter((t) => t.type === 'escalation');
    expect(escalations.map((t) => t.details[0]).sort()).toEqual([
      'TCM face-to-face visit or medication reconciliation missed: due by 2026-09-19T03:59:59.999Z (moderate complexity)',
      'TCM interactive contact missed: due by 2026-09-10T03:59:59.999Z, 0 attempt(s) documented (at least 2 needed when the patient cannot be reached)',
    ]);
    // The window closed: the contact and visit tasks are cancelled, not left hanging.
    expect((await tasksOf(encounterId, 'cancelled')).map((t) => t.type).sort()).toEqual(['follow-up-contact', 'follow-up-visit']);
  });

  it('plans a fresh discharge, waits at the contact deadline, and takes documented attempts; bad ones get a 400 with the field', async () => {
    const now = Date.now();
    const dischargedAt = new Date(now - 10 * 60_000);
    const { encounterId } = await dischargedByAdt(hl7(new Date(now - 3 * 86_400_000)), hl7(dischargedAt));
    await expect.poll(async () => (await encounter(encounterId)).followUpWorkflow?.currentState, poll).toBe(S.waitContact);
    const planned = await encounter(encounterId);
    expect(planned.followUp).toMatchObject({ status: 'open', attempts: [] });
    const open = await tasksOf(encounterId, 'open');
    const contactTask = open.find((t) => t.type === 'follow-up-contact');
    expect(contactTask).toMatchObject({ dueAt: planned.followUp.contactDueBy, ownerRole: 'care-manager', resumesWorkflow: false });
    expect(open.find((t) => t.type === 'follow-up-visit')).toMatchObject({ dueAt: planned.followUp.visitDueBy });

    const attempt = (body: unknown, version: string) =>
      api('POST', `/v1/encounters/${encounterId}/follow-up/contacts`, body, { 'if-match': version });
    const etag = () => etagFor(encounterId, '/follow-up/contacts');
    const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();

    const future = await attempt(
      { at: new Date(now + 3_600_000).toISOString(), method: 'phone', reached: false, by: 'cm-synthetic' },
      await etag(),
    );
    expect(future.status).toBe(400);
    expect(future.body.issues).toEqual([{ field: 'at', reason: expect.stringMatching(/future/) }]);
    const beforeDischarge = await attempt({ at: minutesAgo(60), method: 'phone', reached: false, by: 'cm-synthetic' }, await etag());
    expect(beforeDischarge.body.issues).toEqual([{ field: 'at', reason: expect.stringMatching(/before the discharge/) }]);
    expect(
      (await attempt({ at: minutesAgo(5), method: 'carrier-pigeon', reached: false, by: 'cm-synthetic' }, await etag())).body.issues,
    ).toEqual([{ field: 'method', reason: expect.any(String) }]);

    const noAnswer = { at: minutesAgo(5), method: 'phone', reached: false, by: 'cm-synthetic' };
    expect((await attempt(noAnswer, await etag())).status).toBe(201);
    // The same attempt sent again (a retry) is not counted twice.
    const resent = await attempt(noAnswer, await etag());
    expect(resent.body.attempts).toHaveLength(1);
    const reached = await attempt({ at: minutesAgo(2), method: 'video', reached: true, by: 'cm-synthetic' }, await etag());
    expect(reached.status).toBe(201);
    expect(reached.body.attempts.map((a: { reached: boolean }) => a.reached)).toEqual([false, true]);
    // Who documented the contact is the token (here the EHR relaying it); `by` is the name it sent.
    expect(reached.body.attempts[1]).toMatchObject({ by: 'cm-synthetic', recorder: { who: 'test-ehr-f1', roles: ['integration-client'] } });
    expect((await tasksOf(encounterId, 'completed')).map((t) => t.type)).toContain('follow-up-contact');
    expect((await encounter(encounterId)).followUpWorkflow.currentState).toBe(S.waitContact);
  });

  it('ends when the patient is readmitted within the window: the follow-up closes naming the new stay, its tasks cancelled', async () => {
    const [mrn, first, second] = [uniq('MRN'), uniq('V'), uniq('V')];
    expect(msa((await sendAdt(adt({ event: 'A01', mrn, visit: first, at: '202609010800', admittedAt: '202609010800' }))).ack).code).toBe(
      'AA',
    );
    // The feed delivers the new stay (day 12) before the old stay's discharge: the check then always sees it.
    expect(msa((await sendAdt(adt({ event: 'A01', mrn, visit: second, at: '202609161000', admittedAt: '202609161000' }))).ack).code).toBe(
      'AA',
    );
    const patientId = await patientIdOfMrn(mrn);
    let stays: Array<{ encounterId: string; visitNumber: string }> = [];
    await expect.poll(async () => (stays = (await api('GET', `/v1/patients/${patientId}/encounters`)).body.items).length, poll).toBe(2);
    const indexStay = stays.find((e) => e.visitNumber === first)!.encounterId;
    const newStay = stays.find((e) => e.visitNumber === second)!.encounterId;
    expect(
      msa(
        (await sendAdt(adt({ event: 'A03', mrn, visit: first, at: '202609041600', dischargedAt: '202609041600', disposition: '01' }))).ack,
      ).code,
    ).toBe('AA');

    await expect.poll(async () => (await encounter(indexStay)).followUpWorkflow?.status, poll).toBe('SUCCEEDED');
    const done = await encounter(indexStay);
    expect(done.followUp).toMatchObject({ status: 'closed', readmittedEncounterId: newStay });
    expect(await statesEntered(done.followUpWorkflow.executionArn)).toEqual(FOLLOW_UP_PATHS.readmitted.states);
    expect((await tasksOf(indexStay, 'cancelled')).map((t) => [t.type, t.cancelReason]).sort()).toEqual([
      ['follow-up-contact', 'patient readmitted: follow-up of this stay ended'],
      ['follow-up-visit', 'patient readmitted: follow-up of this stay ended'],
    ]);
  });

  it("sends the satisfaction survey; its answers count once toward the unit's top-box scores for the discharge month", async () => {
    const { encounterId } = await dischargedByAdt('202609140800', '202609181000');
    await expect.poll(async () => (await encounter(encounterId)).followUpWorkflow?.status, poll).toBe('SUCCEEDED');
    const { unit, satisfactionSurvey } = await encounter(encounterId);
    expect(satisfactionSurvey).toMatchObject({ status: 'sent', surveyId: expect.any(String) });
    const scores = async () =>
      (await api('GET', `/v1/satisfaction?unit=${encodeURIComponent(unit)}&from=2026-09&to=2026-09`)).body.items as Array<{
        item: string;
        responses: number;
        topBox: number;
      }>;
    const before = await scores();
    const etag = () => etagFor(encounterId, '/satisfaction-survey');
    const answer = (answers: Record<string, number>, version: string) =>
      api(
        'PUT',
        `/v1/encounters/${encounterId}/satisfaction-survey`,
        { answers, answeredAt: new Date().toISOString(), channel: 'web' },
        { 'if-match': version },
      );

    const offScale = await answer({ 'overall-rating': 11, 'nurses-listened': 0, parking: 3 }, await etag());
    expect(offScale.body.issues.map((i: { field: string }) => i.field)).toEqual([
      'answers.overall-rating',
      'answers.nurses-listened',
      'answers.parking',
    ]);
    const answered = await answer({ 'overall-rating': 9, 'nurses-listened': 3, 'would-recommend': 4 }, await etag());
    expect(answered.status).toBe(200);
    expect((await answer({ 'overall-rating': 10 }, await etag())).status).toBe(409);

    const after = await scores();
    const delta = (item: string) => {
      const [b, a] = [before.find((s) => s.item === item)!, after.find((s) => s.item === item)!];
      return [a.responses - b.responses, a.topBox - b.topBox];
    };
    expect([delta('overall-rating'), delta('nurses-listened'), delta('would-recommend'), delta('doctors-explained')]).toEqual([
      [1, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
    expect((await api('GET', '/v1/satisfaction?from=2026-10&to=2026-09')).body.issues).toEqual([
      { field: 'query.from', reason: 'must not be after to' },
    ]);
  });

  it('documents a discharge to hospice as not eligible (the hospice manages the transition)', async () => {
    const { encounterId } = await dischargedByAdt('202609010800', '202609041600', '50');
    await expect.poll(async () => (await encounter(encounterId)).followUpWorkflow?.status, poll).toBe('SUCCEEDED');
    const done = await encounter(encounterId);
    expect(done.discharge.disposition).toBe('hospice');
    expect(done.followUp).toBeUndefined();
    expect(await statesEntered(done.followUpWorkflow.executionArn)).toEqual(FOLLOW_UP_PATHS.notEligible.states);
  });
});
