import type { SFNClient } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Encounter } from '../../shared/domain/encounter';

const counted = vi.hoisted(() => [] as Array<[string, Record<string, string>]>);
vi.mock('../../shared/observability/metrics', () => ({
  count: (name: string, dimensions: Record<string, string>) => counted.push([name, dimensions]),
}));
const { followEncounterChange } = await import('../../shared/care/reactions/follow-adt-changes');

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:carepath-dev-discharge-planning';
const admitted = {
  encounterId: 'e1',
  facilityId: 'F1',
  patientId: 'p1',
  unit: '4W',
  class: 'inpatient',
  admissionType: 'elective',
  admittedAt: '2026-12-01T00:00:00Z',
  status: 'admitted',
  version: 3,
  createdAt: '',
  updatedAt: '',
} as unknown as Encounter;
const cancelled = { ...admitted, status: 'cancelled', version: 4 } as Encounter;

function deps(stop: () => Promise<unknown>) {
  return {
    sfn: { send: vi.fn(stop) } as unknown as SFNClient,
    tasks: { listByEncounter: async () => [], cancel: async () => undefined },
    encounters: { get: async () => cancelled },
    referrals: { list: async () => [] },
    stateMachineArn: MACHINE,
    followUpStateMachineArn: MACHINE.replace('discharge-planning', 'post-discharge-follow-up'),
    now: () => new Date('2026-12-03T09:00:00Z'),
  } as never;
}

// The aborted-execution alarm subtracts these: Carepath's own stops (A11, A13) must not page.
describe('stops Carepath makes itself', () => {
  beforeEach(() => {
    counted.length = 0;
  });

  it('are counted per state machine when an A11 stops discharge planning', async () => {
    await followEncounterChange(
      admitted,
      cancelled,
      deps(async () => ({ stopDate: new Date() })),
    );
    expect(counted).toEqual([['ExecutionsStoppedByCarepath', { workflow: 'carepath-dev-discharge-planning' }]]);
  });

  it('are not counted when there was nothing to stop', async () => {
    await followEncounterChange(
      admitted,
      cancelled,
      deps(async () => Promise.reject(Object.assign(new Error('gone'), { name: 'ExecutionDoesNotExist' }))),
    );
    expect(counted).toEqual([]);
  });
});
