import { afterAll, describe, expect, it } from 'vitest';
import type { Encounter } from '../../shared/domain/encounter';
import { ConflictError } from '../../shared/domain/errors';
import { newTask } from '../../shared/domain/tasks';
import { newId } from '../../shared/ids';
import { encounterStore } from '../../shared/store/encounter-store';
import { patientStore } from '../../shared/store/patient-store';
import { taskStore } from '../../shared/store/task-store';
import { admitPatient } from '../../functions/admit-patient/handler';
import { localDynamo, localStack } from '../support/clients';
import { syntheticAdmission } from '../fixtures/admissions';

const client = localDynamo();
const table = () => localStack().tableName;
const deps = () => ({
  encounters: encounterStore(client, table()),
  patients: patientStore(client, table()),
  now: () => new Date('2026-11-20T09:00:00Z'),
  newId,
});

afterAll(() => client.destroy());

/**
 * Outpatient visits start no workflow, so the store tests are the only writers of their
 * encounters (an inpatient's workflow would update it concurrently).
 */
const visit = () => syntheticAdmission({ class: 'outpatient' }) as any;

describe('admitting (DynamoDB Local)', () => {
  it('stores patient and encounter together and finds the patient again by identifier', async () => {
    const body = visit();
    const { encounter } = await admitPatient(body, undefined, deps());
    const stored = await deps().encounters.get(encounter.encounterId);
    expect(stored).toMatchObject({ status: 'admitted', version: 1, facilityId: 'F1', unit: '4W' });
    const patientId = await deps().patients.findIdByIdentifier('F1', body.patient.identifier);
    expect(patientId).toBe(encounter.patientId);
    expect(await deps().patients.get(patientId!)).toMatchObject({ birthDate: '1950-02-03' });
  });

  it('re-admits a known patient under the same patient id', async () => {
    const first = visit();
    const a = await admitPatient(first, undefined, deps());
    const b = await admitPatient({ ...first, admittedAt: '2026-11-22T08:00:00Z' }, undefined, deps());
    expect(b.encounter.patientId).toBe(a.encounter.patientId);
    expect(b.encounter.encounterId).not.toBe(a.encounter.encounterId);
  });

  it('registers a new patient once when two admissions race', async () => {
    const body = visit();
    const results = await Promise.all(Array.from({ length: 5 }, () => admitPatient(body, undefined, deps())));
    expect(new Set(results.map((r) => r.encounter.patientId)).size).toBe(1);
    expect(new Set(results.map((r) => r.encounter.encounterId)).size).toBe(5);
  });

  it('replays an Idempotency-Key to the same encounter and refuses it for another body', async () => {
    const body = visit();
    const key = `key-${newId()}`;
    const first = await admitPatient(body, key, deps());
    const again = await admitPatient(body, key, deps());
    expect(again).toMatchObject({ created: false });
    expect(again.encounter.encounterId).toBe(first.encounter.encounterId);
    await expect(admitPatient({ ...body, unit: '5E' }, key, deps())).rejects.toThrow(ConflictError);
  });
});

describe('optimistic locking on encounters', () => {
  it('lets exactly one of two writers holding the same version win', async () => {
    const { encounter } = await admitPatient(visit(), undefined, deps());
    const store = deps().encounters;
    const read: Encounter = (await store.get(encounter.encounterId))!;
    const outcomes = await Promise.allSettled([
      store.update(read, { fields: { unit: '5E' } }, new Date()),
      store.update(read, { fields: { unit: '6N' } }, new Date()),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConflictError);
    expect((await store.get(encounter.encounterId))!.version).toBe(2);
  });
});

describe('optimistic locking on the parts of a stay', () => {
  const goalsOfCare = (level: 'full-treatment' | 'comfort-focused') => ({
    level,
    codeStatus: 'full-code' as const,
    directives: [],
    recordedBy: 'Dr Synthetic',
    recordedAt: '2026-11-20T09:00:00Z',
  });
  const goalsAndPreferences = {
    goals: ['Garden again'],
    treatmentPreferences: [],
    preferredLanguage: 'en',
    interpreterNeeded: false,
    preferredPostAcuteProviders: [],
    recordedBy: 'CM Synthetic',
    recordedAt: '2026-11-20T09:00:00Z',
  };

  it("lets writers of two parts read at the same time both win, each part on its own version and the encounter's untouched", async () => {
    const { encounter } = await admitPatient(visit(), undefined, deps());
    const store = deps().encounters;
    const read: Encounter = (await store.get(encounter.encounterId))!;
    const outcomes = await Promise.allSettled([
      store.update(read, { fields: { goalsOfCare: goalsOfCare('full-treatment') } }, new Date()),
      store.update(read, { fields: { goalsAndPreferences } }, new Date()),
      store.update(read, { fields: { unit: '5E' } }, new Date()),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const stay = (await store.get(encounter.encounterId))!;
    expect(stay).toMatchObject({
      unit: '5E',
      version: read.version + 1,
      goalsOfCare: { level: 'full-treatment' },
      goalsAndPreferences: { goals: ['Garden again'] },
    });
    expect(stay.partVersions).toEqual({ goalsOfCare: 1, goalsAndPreferences: 1 });
  });

  it("lets exactly one of two writers of one part holding the same version win, and leaves the encounter's version alone", async () => {
    const { encounter } = await admitPatient(visit(), undefined, deps());
    const store = deps().encounters;
    const read: Encounter = (await store.get(encounter.encounterId))!;
    const outcomes = await Promise.allSettled([
      store.update(read, { fields: { goalsOfCare: goalsOfCare('full-treatment') } }, new Date()),
      store.update(read, { fields: { goalsOfCare: goalsOfCare('comfort-focused') } }, new Date()),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const stay = (await store.get(encounter.encounterId))!;
    expect(stay.partVersions).toEqual({ goalsOfCare: 1 });
    expect(stay.version).toBe(read.version);
    // The loser's read of the part (version 0, none written) is stale now.
    await expect(store.update(read, { fields: { goalsOfCare: goalsOfCare('comfort-focused') } }, new Date())).rejects.toThrow(
      ConflictError,
    );
  });
});

describe('tasks', () => {
  it('lists by encounter and status, and completes an open task exactly once', async () => {
    const tasks = taskStore(client, table());
    const encounterId = newId();
    const now = new Date();
    const task = newTask(
      {
        taskId: newId(),
        facilityId: 'F1',
        encounterId,
        type: 'needs-assessment',
        priority: 'urgent',
        dueAt: now.toISOString(),
        resumesWorkflow: true,
      },
      now,
    );
    await tasks.open(task, 'token-1');
    expect(await tasks.listByEncounter(encounterId, 'open')).toEqual([task]);
    expect((await tasks.get(task.taskId))?.taskToken).toBe('token-1');

    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => tasks.complete(task, { outcome: 'completed', completedAt: now.toISOString() })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await tasks.listByEncounter(encounterId, 'open')).toEqual([]);
    expect(await tasks.listByEncounter(encounterId, 'completed')).toHaveLength(1);
    await expect(tasks.open(task, 'token-2')).rejects.toThrow(ConflictError);
  });
});
