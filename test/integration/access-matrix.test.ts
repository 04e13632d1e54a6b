import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../infra/routes/all';
import { CLINICAL_PARTS_OF_A_STAY, ROLES, rolesOf, type Role } from '../../shared/domain/access';
import { newId } from '../../shared/ids';
import type { ApiRoute } from '../../infra/routes/route';
import { syntheticAdmission } from '../fixtures/admissions';
import { editEncounter } from '../fixtures/discharge-planning';
import { newTask } from '../../shared/domain/tasks';
import { taskStore } from '../../shared/store/task-store';
import { api, inBatches, localDynamo, localStack } from '../support/clients';

const label = (route: ApiRoute) => `${route.method} ${route.path}`;

/** The path with every parameter filled: by `ids` where given, else with an id nothing has. */
const fill = (path: string, ids: Record<string, string> = {}) => path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? newId());

describe('access control, every route × every role × own and other facility', () => {
  let encounterId: string;
  let patientId: string;
  beforeAll(async () => {
    const admitted = await api('POST', '/v1/encounters', syntheticAdmission());
    expect(admitted.status).toBe(201);
    encounterId = admitted.body.encounterId;
    patientId = (await api('GET', `/v1/encounters/${encounterId}`)).body.patientId;
    const plan = await api('PUT', `/v1/encounters/${encounterId}/care-plan`, { status: 'active', problems: [], author: 'CM' }, { 'if-match': '"0"' });
    expect(plan.status).toBe(201);
  });

  it('lets the route’s roles past the role check and refuses every other role with 403', { timeout: 300_000 }, async () => {
    const cases = API_ROUTES.flatMap((route) => ROLES.map((role) => ({ route, role })));
    // Unknown ids and empty bodies: an allowed call ends in 400/404/415 at the latest and writes nothing.
    const outcomes = await inBatches(cases, 8, async ({ route, role }) => {
      const response = await api(route.method, fill(route.path), route.method === 'GET' ? undefined : {}, {}, { facility: 'F1', role });
      const allowed = rolesOf(route.access).includes(role);
      return { route: label(route), role, allowed, status: response.status, ok: allowed ? response.status !== 403 : response.status === 403 };
    });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    // The matrix is real: every role is let through somewhere and refused somewhere.
    for (const role of ROLES) {
      expect(outcomes.some((o) => o.role === role && o.status === 403), role).toBe(true);
      expect(outcomes.some((o) => o.role === role && o.allowed), role).toBe(true);
    }
    expect(cases.length).toBe(API_ROUTES.length * ROLES.length);
  });

  it('answers 404 to every role of another facility for this facility’s patient and stay, and 200 to its own', async () => {
    const reads = API_ROUTES.filter((route) => route.method === 'GET' && /^\/v1\/(patients|encounters|fhir\/Patient|fhir\/Encounter)\/\{id\}/.test(route.path))
      .filter((route) => !/\{(?!id\})\w+\}/.test(route.path));
    expect(reads.length).toBeGreaterThan(15);
    const cases = reads.flatMap((route) => rolesOf(route.access).map((role) => ({ route, role })));
    const outcomes = await inBatches(cases, 8, async ({ route, role }) => {
      const id = /^\/v1\/(patients|fhir\/Patient)\//.test(route.path) ? patientId : encounterId;
      const path = fill(route.path, { id }) + (QUERY[route.path] ?? '');
      const own = await api('GET', path, undefined, {}, { facility: 'F1', role });
      const other = await api('GET', path, undefined, {}, { facility: 'F2', role });
      return { route: label(route), role, own: own.status, other: other.status };
    });
    expect(outcomes.filter((o) => o.other !== 404)).toEqual([]);
    expect(outcomes.filter((o) => o.own !== 200 && !OWN_NOT_YET_THERE.has(o.route))).toEqual([]);
  });

  it('refuses a token granting no role with 403, and lets a person in by Cognito groups like a client by scopes', async () => {
    expect((await api('GET', `/v1/encounters/${encounterId}`, undefined, {}, { facility: 'F1', role: [] })).status).toBe(403);
    const person = { facility: 'F1' as const, role: ['nurse', 'social-worker'] as Role[], username: 'synthetic.nurse' };
    expect((await api('GET', `/v1/encounters/${encounterId}`, undefined, {}, person)).status).toBe(200);
    expect((await api('GET', `/v1/patients/${patientId}/audit`, undefined, {}, person)).status).toBe(403);
  });
});

describe('completing a task', () => {
  it('is for the role that owns it: a nurse or an operator cannot sign off a pharmacist review; a physician can, as can the EHR', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const tasks = taskStore(localDynamo(), localStack().tableName);
    const review = () =>
      tasks.open(newTask({ taskId: newId(), facilityId: 'F1', encounterId, type: 'pharmacist-review', priority: 'urgent', dueAt: new Date(Date.now() + 3_600_000).toISOString(), resumesWorkflow: false }, new Date()));
    const complete = (taskId: string, role: Role) => api('POST', `/v1/tasks/${taskId}/complete`, { outcome: 'completed' }, {}, { facility: 'F1', role });

    const task = await review();
    for (const role of ['nurse', 'operator', 'care-manager', 'patient-services'] as Role[]) {
      const refused = await complete(task.taskId, role);
      expect(refused.status, role).toBe(403);
      expect(refused.body.message).toMatch(/completed by pharmacist or physician/);
    }
    expect((await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.map((t: { taskId: string }) => t.taskId)).toContain(task.taskId);
    expect((await complete(task.taskId, 'physician')).status).toBe(200);
    expect((await api('POST', `/v1/tasks/${(await review()).taskId}/complete`, { outcome: 'completed' })).status).toBe(200);
  });
});

describe('the minimum necessary', () => {
  it('operators and patient services see the stay and its workflow, not its clinical record; the care team sees all', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const goals = await editEncounter(encounterId, 'PUT', '/goals-and-preferences', { goals: ['Walk to the mailbox'], treatmentPreferences: ['Avoid nursing home'], preferredLanguage: 'en', interpreterNeeded: false, recordedBy: 'CM Synthetic' });
    expect(goals.status).toBe(200);
    const as = (role: Role) => api('GET', `/v1/encounters/${encounterId}`, undefined, {}, { facility: 'F1', role });
    for (const role of ['operator', 'patient-services'] as Role[]) {
      const seen = await as(role);
      expect(seen.status, role).toBe(200);
      expect(seen.body, role).toMatchObject({ encounterId, status: expect.any(String), unit: expect.any(String) });
      expect(Object.keys(seen.body).filter((key) => (CLINICAL_PARTS_OF_A_STAY as readonly string[]).includes(key)), role).toEqual([]);
    }
    expect((await as('nurse')).body.goalsAndPreferences).toMatchObject({ goals: ['Walk to the mailbox'] });
  });
});

/** Reads of a record a fresh admission does not have yet (404 at home too; another facility still 404). */
const OWN_NOT_YET_THERE = new Set<string>([
  'GET /v1/encounters/{id}/risk', // scored once the risk inputs are recorded
  'GET /v1/encounters/{id}/transition-record', // written at discharge
]);

/** Query parameters a read requires. */
const QUERY: Record<string, string> = { '/v1/encounters/{id}/observations': '?code=72514-3' };
