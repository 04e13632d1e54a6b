import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STAY_PART_NAMES, STAY_PARTS } from '../../shared/domain/stay-parts';
import { syntheticAdmission } from '../fixtures/admissions';
import { adt, firstEncounterOfMrn, msa, uniq } from '../fixtures/adt';
import { api, sendAdt, type Who } from '../support/clients';

/**
 * The parts of a stay as their own resources (issue 18 item 1): each part's GET gives its own
 * ETag, which its writes take; the encounter read still shows the whole stay.
 */

const POLL = { timeout: 20_000, interval: 200 };
/** A follow-up run through its deadlines: several steps and stream reactions, slow on a loaded 2-core machine. */
const WORKFLOW_POLL = { timeout: 90_000, interval: 500 };
const NURSE: Who = { facility: 'F1', role: 'nurse' };
const PHYSICIAN: Who = { facility: 'F1', role: 'physician', username: 'md-parts' };
const OPERATOR: Who = { facility: 'F1', role: 'operator' };
const PATIENT_SERVICES: Who = { facility: 'F1', role: 'patient-services' };
const AUDITOR: Who = { facility: 'F1', role: 'auditor' };

/** The parts with a GET of their own (the risk's is GET …/risk, which computes the scores). */
const PATHS = STAY_PART_NAMES.filter((part) => part !== 'risk').map((part) => STAY_PARTS[part].path);

async function outpatientStay(): Promise<{ encounterId: string; patientId: string }> {
  const admitted = await api(
    'POST',
    '/v1/encounters',
    syntheticAdmission({ class: 'outpatient', admittedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() }),
  );
  expect(admitted.status).toBe(201);
  return { encounterId: admitted.body.encounterId, patientId: admitted.body.patientId };
}

/**
 * One ADT message, resent as is when the API timed out (a cold function on a loaded machine): the
 * feed answers a resend of the same message the same, as an interface engine relies on.
 */
async function delivered(message: string): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    const { status, ack } = await sendAdt(message);
    if (status < 500 || attempt === 3) return msa(ack).code;
  }
}

const goalsOfCare = (level: string, recordedBy: string) => ({ level, codeStatus: 'dnr-dni', directives: [{ type: 'molst' }], recordedBy });

describe('the parts of a stay through the API', () => {
  it('answers 404 for each part before its first write, telling how to write it (If-Match "0")', async () => {
    const { encounterId } = await outpatientStay();
    expect(PATHS).toHaveLength(8);
    for (const path of PATHS) {
      const response = await api('GET', `/v1/encounters/${encounterId}/${path}`, undefined, {}, NURSE);
      expect(response.status, path).toBe(404);
      expect(response.body.message, path).toContain(path.replace(/-/g, ' '));
      expect(response.body.message, path).toContain('If-Match: "0"');
    }
    // Another facility's stay is not there at all, part or not.
    expect((await api('GET', `/v1/encounters/${encounterId}/goals-of-care`, undefined, {}, 'F2')).status).toBe(404);
  });

  it("takes the part's own ETag: the one its GET gives, 412 when stale, 428 without; the encounter's ETag is not the part's", async () => {
    const { encounterId } = await outpatientStay();
    const path = `/v1/encounters/${encounterId}/goals-of-care`;
    const encounterEtag = (await api('GET', `/v1/encounters/${encounterId}`)).headers.get('etag');

    const first = await api('PUT', path, goalsOfCare('selective-treatment', 'Dr First'), { 'if-match': '"0"' }, PHYSICIAN);
    expect(first.status).toBe(200);
    const read = await api('GET', path, undefined, {}, PHYSICIAN);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toEqual(first.body);
    expect(read.body).toMatchObject({
      level: 'selective-treatment',
      codeStatus: 'dnr-dni',
      recordedBy: 'Dr First',
      by: { who: expect.any(String), roles: ['physician'] },
    });

    const second = await api(
      'PUT',
      path,
      goalsOfCare('comfort-focused', 'Dr Second'),
      { 'if-match': read.headers.get('etag')! },
      PHYSICIAN,
    );
    expect(second.status).toBe(200);
    const reread = await api('GET', path, undefined, {}, PHYSICIAN);
    expect(reread.headers.get('etag')).toBe(second.headers.get('etag'));
    expect(reread.headers.get('etag')).toBe('"2"');
    expect(reread.body.level).toBe('comfort-focused');

    const stale = await api('PUT', path, goalsOfCare('full-treatment', 'Dr Stale'), { 'if-match': read.headers.get('etag')! }, PHYSICIAN);
    expect(stale.status).toBe(412);
    expect(stale.body.message).toMatch(/goals of care.*since you read it/);
    // "0" once the part exists is stale too: a second first write never overwrites the first.
    expect((await api('PUT', path, goalsOfCare('full-treatment', 'Dr Zero'), { 'if-match': '"0"' }, PHYSICIAN)).status).toBe(412);
    const none = await api('PUT', path, goalsOfCare('full-treatment', 'Dr None'), {}, PHYSICIAN);
    expect(none.status).toBe(428);
    expect(none.body.message).toContain(`GET /v1/encounters/${encounterId}/goals-of-care`);
    // Nothing a refused write sent was stored.
    expect((await api('GET', path, undefined, {}, PHYSICIAN)).body.recordedBy).toBe('Dr Second');

    // The encounter's own ETag is neither changed by a part's write nor taken for one.
    const encounter = await api('GET', `/v1/encounters/${encounterId}`);
    expect(encounter.headers.get('etag')).toBe(encounterEtag);
    if (encounterEtag !== reread.headers.get('etag')) {
      expect(
        (await api('PUT', path, goalsOfCare('full-treatment', 'Dr Encounter'), { 'if-match': encounterEtag! }, PHYSICIAN)).status,
      ).toBe(412);
    }
  });

  it('shows a part only to roles that see it: 403 to an operator, and to patient services on clinical parts', async () => {
    const { encounterId } = await outpatientStay();
    expect(
      (
        await api(
          'PUT',
          `/v1/encounters/${encounterId}/goals-of-care`,
          goalsOfCare('full-treatment', 'Dr Synthetic'),
          { 'if-match': '"0"' },
          PHYSICIAN,
        )
      ).status,
    ).toBe(200);
    for (const path of PATHS) {
      const operator = await api('GET', `/v1/encounters/${encounterId}/${path}`, undefined, {}, OPERATOR);
      expect(operator.status, `operator ${path}`).toBe(403);
    }
    for (const path of PATHS.filter((p) => p !== 'satisfaction-survey')) {
      const services = await api('GET', `/v1/encounters/${encounterId}/${path}`, undefined, {}, PATIENT_SERVICES);
      expect(services.status, `patient services ${path}`).toBe(403);
      expect(JSON.stringify(services.body)).not.toContain('Dr Synthetic');
    }
    // The refusal is by role, not because the part is missing: a care-team role reads it.
    expect((await api('GET', `/v1/encounters/${encounterId}/goals-of-care`, undefined, {}, NURSE)).status).toBe(200);
  });

  it('patient services reads the satisfaction survey the follow-up sent, and answers it with that ETag', { timeout: 180_000 }, async () => {
    // Discharged weeks ago by the feed: the follow-up runs through its deadlines at once and sends the survey.
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    expect(await delivered(adt({ event: 'A01', mrn, visit, at: '202610050900', admittedAt: '202610050900' }))).toBe('AA');
    expect(await delivered(adt({ event: 'A03', mrn, visit, at: '202610081100', dischargedAt: '202610081100', disposition: '01' }))).toBe(
      'AA',
    );
    const encounterId = await firstEncounterOfMrn(mrn);
    const path = `/v1/encounters/${encounterId}/satisfaction-survey`;
    await expect.poll(async () => (await api('GET', path, undefined, {}, PATIENT_SERVICES)).status, WORKFLOW_POLL).toBe(200);

    const survey = await api('GET', path, undefined, {}, PATIENT_SERVICES);
    expect(survey.headers.get('etag')).toBe('"1"');
    expect(survey.body).toMatchObject({ surveyId: expect.any(String), status: 'sent' });
    for (const clinical of ['goals-of-care', 'follow-up', 'medication-reconciliation']) {
      expect((await api('GET', `/v1/encounters/${encounterId}/${clinical}`, undefined, {}, PATIENT_SERVICES)).status, clinical).toBe(403);
    }
    // The follow-up the workflow wrote is a part too, readable by the care team.
    const followUp = await api('GET', `/v1/encounters/${encounterId}/follow-up`, undefined, {}, NURSE);
    expect(followUp.status).toBe(200);
    expect(followUp.body).toMatchObject({ status: expect.any(String), contactDueBy: expect.any(String) });

    const answers = { 'overall-rating': 8, 'nurses-listened': 3 };
    const answered = await api(
      'PUT',
      path,
      { answers, answeredAt: new Date().toISOString(), channel: 'phone' },
      { 'if-match': survey.headers.get('etag')! },
      PATIENT_SERVICES,
    );
    expect(answered.status).toBe(200);
    const reread = await api('GET', path, undefined, {}, PATIENT_SERVICES);
    expect(reread.headers.get('etag')).toBe(answered.headers.get('etag'));
    expect(reread.headers.get('etag')).toBe('"2"');
    expect(reread.body).toMatchObject({ status: 'answered', answers, channel: 'phone' });
  });

  it('counts a stay from all its records: the survey stays counted when the follow-up changes after it', { timeout: 240_000 }, async () => {
    // A unit of its own, so the unit's metrics are this stay's alone.
    const unit = `P${randomUUID().slice(0, 6)}`;
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    const location = `${unit}^12^B^GENHOSP`;
    expect(await delivered(adt({ event: 'A01', mrn, visit, location, at: '202610120900', admittedAt: '202610120900' }))).toBe('AA');
    expect(
      await delivered(adt({ event: 'A03', mrn, visit, location, at: '202610141000', dischargedAt: '202610141000', disposition: '01' })),
    ).toBe('AA');
    const encounterId = await firstEncounterOfMrn(mrn);
    // The follow-up sends the survey after the contact deadline, then judges the visit and closes: follow-up writes after the survey's.
    await expect
      .poll(async () => (await api('GET', `/v1/encounters/${encounterId}`)).body.followUpWorkflow?.status, WORKFLOW_POLL)
      .toBe('SUCCEEDED');
    const stay = (await api('GET', `/v1/encounters/${encounterId}`)).body;
    expect(stay).toMatchObject({
      unit,
      satisfactionSurvey: { status: 'sent' },
      followUp: { status: 'closed', contactOutcome: 'missed', visitOutcome: 'missed' },
    });

    const counted = async () => {
      const metrics = (await api('GET', `/v1/metrics?unit=${unit}&from=2026-10-01&to=2026-10-31`)).body;
      return {
        discharges: metrics.lengthOfStay.discharges,
        contactsDue: metrics.tcmContact.due,
        visitsDue: metrics.followUpVisit.within14Days.due + metrics.followUpVisit.within7Days.due,
        surveysSent: metrics.satisfaction.surveysSent,
      };
    };
    // Before asStayImage kept the other parts, the follow-up's last change replaced the stay's counts with a stay without its survey (surveysSent 0).
    await expect.poll(counted, WORKFLOW_POLL).toEqual({ discharges: 1, contactsDue: 1, visitsDue: 1, surveysSent: 1 });
  });

  it('the encounter read still shows every part written, assembled, to a care-team role', async () => {
    const { encounterId } = await outpatientStay();
    const put = async (path: string, body: unknown, who: Who = 'F1') => {
      const response = await api('PUT', `/v1/encounters/${encounterId}/${path}`, body, { 'if-match': '"0"' }, who);
      expect(response.status, path).toBe(200);
    };
    await put('goals-and-preferences', {
      goals: ['Back to choir practice'],
      treatmentPreferences: ['No ICU transfer'],
      preferredLanguage: 'it',
      interpreterNeeded: true,
      recordedBy: 'CM Synthetic',
    });
    await put('goals-of-care', goalsOfCare('selective-treatment', 'Dr Synthetic'), PHYSICIAN);
    await put('needs-assessment', { domains: { transportation: { findings: ['no-transport'] } }, assessedBy: 'SW Synthetic' });
    await put('medication-reconciliation', {
      medications: [{ drug: 'furosemide', decision: 'new', discharge: { dose: '20 mg', frequency: 'daily' }, reason: 'Fluid overload' }],
      reconciledBy: 'PharmD Synthetic',
    });
    await put('risk-inputs', {
      conditions: ['I50.9'],
      edVisitsPrior6Months: 1,
      admissionsPrior12Months: 0,
      oncologyService: false,
      procedureDuringStay: false,
    });

    const stay = await api('GET', `/v1/encounters/${encounterId}`, undefined, {}, NURSE);
    expect(stay.status).toBe(200);
    expect(stay.body).toMatchObject({
      encounterId,
      class: 'outpatient',
      goalsAndPreferences: { goals: ['Back to choir practice'], treatmentPreferences: ['No ICU transfer'], preferredLanguage: 'it' },
      goalsOfCare: { level: 'selective-treatment', recordedBy: 'Dr Synthetic' },
      needsAssessment: { domains: { transportation: { findings: ['no-transport'] } } },
      medicationReconciliation: { medications: [expect.objectContaining({ drug: 'furosemide', decision: 'new' })] },
      riskInputs: { conditions: ['I50.9'], edVisitsPrior6Months: 1 },
    });
    // Storage stays inside: no part's keys or bookkeeping in the stay.
    expect(Object.keys(stay.body)).not.toEqual(expect.arrayContaining(['pk']));
    expect(JSON.stringify(stay.body)).not.toMatch(/"sk"|ENCOUNTER#/);
    // What the stay's parts are, each read by itself, is what the stay shows.
    const goals = await api('GET', `/v1/encounters/${encounterId}/goals-and-preferences`, undefined, {}, NURSE);
    expect(stay.body.goalsAndPreferences).toEqual(goals.body);
    // And the roles limited to where the stay is see none of it.
    const operator = await api('GET', `/v1/encounters/${encounterId}`, undefined, {}, OPERATOR);
    expect(operator.status).toBe(200);
    for (const field of ['goalsAndPreferences', 'goalsOfCare', 'needsAssessment', 'medicationReconciliation', 'riskInputs'])
      expect(operator.body, field).not.toHaveProperty(field);
  });

  it("puts a part's write in the patient's audit trail under the part's entity type, by the token's role", async () => {
    const { encounterId, patientId } = await outpatientStay();
    const path = `/v1/encounters/${encounterId}/goals-of-care`;
    const first = await api('PUT', path, goalsOfCare('full-treatment', 'Dr Audit'), { 'if-match': '"0"' }, PHYSICIAN);
    expect(first.status).toBe(200);
    expect(
      (await api('PUT', path, goalsOfCare('comfort-focused', 'Dr Audit'), { 'if-match': first.headers.get('etag')! }, PHYSICIAN)).status,
    ).toBe(200);

    type Line = { action: string; entity: { type: string; id: string }; encounterId?: string; version?: number; actor: { role: string } };
    const partLines = async () =>
      ((await api('GET', `/v1/patients/${patientId}/audit?limit=100`, undefined, {}, AUDITOR)).body.items as Line[]).filter(
        (line) => line.entity.type === 'GoalsOfCare',
      );
    await expect.poll(async () => (await partLines()).length, POLL).toBe(2);
    // Two writes within one second may list in either order (the trail sorts by the stream's time, in seconds).
    const lines = (await partLines()).sort((a, b) => (a.version ?? 0) - (b.version ?? 0));
    expect(lines.map((l) => [l.action, l.version])).toEqual([
      ['create', 1],
      ['update', 2],
    ]);
    for (const line of lines)
      expect(line).toMatchObject({ entity: { type: 'GoalsOfCare', id: encounterId }, encounterId, actor: { role: 'physician' } });
    // The part's write is not an update of the encounter record.
    const all = (await api('GET', `/v1/patients/${patientId}/audit?limit=100`, undefined, {}, AUDITOR)).body.items as Line[];
    expect(all.filter((l) => l.entity.type === 'Encounter' && l.action === 'update')).toEqual([]);
  });
});
