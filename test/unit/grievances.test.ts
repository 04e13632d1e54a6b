import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import {
  acknowledge,
  addNote,
  deadlinesFor,
  decide,
  DEFAULT_GRIEVANCE_POLICY,
  grievanceProgress,
  secondsUntil,
  type Grievance,
} from '../../shared/domain/grievances';

const receivedAt = '2026-11-01T09:00:00.000Z';
const grievance = (): Grievance => ({
  grievanceId: 'g',
  facilityId: 'F1',
  patientId: 'p',
  encounterId: 'e',
  executionName: 'x',
  channel: 'letter',
  category: 'quality-of-care',
  severity: 'high',
  raisedBy: 'family',
  description: 'synthetic',
  namedContact: 'PR',
  receivedAt,
  ...deadlinesFor(receivedAt, DEFAULT_GRIEVANCE_POLICY),
  status: 'open',
  notes: [],
  version: 1,
});
const decision = (completedAt: string) => ({
  contactPerson: 'PR',
  stepsTaken: ['Reviewed the chart'],
  results: 'r',
  completedAt,
  writtenBy: 'Director',
});
const now = new Date('2026-12-15T00:00:00.000Z');

describe('grievances', () => {
  it('counts 7 and 30 days from receipt by default, and any policy the hospital sets', () => {
    expect(deadlinesFor(receivedAt, DEFAULT_GRIEVANCE_POLICY)).toEqual({
      acknowledgeBy: '2026-11-08T09:00:00.000Z',
      resolveBy: '2026-12-01T09:00:00.000Z',
    });
    expect(deadlinesFor(receivedAt, { acknowledgeWithinDays: 2, resolveWithinDays: 21 }).resolveBy).toBe('2026-11-22T09:00:00.000Z');
  });

  it('judges each deadline when it is met', () => {
    const acknowledged = acknowledge(grievance(), '2026-11-09T09:00:00.000Z', now);
    expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledgedOnTime: false });
    expect(decide(acknowledged, decision('2026-11-30T09:00:00.000Z'), now)).toMatchObject({
      status: 'resolved',
      resolvedOnTime: true,
      acknowledgedOnTime: false,
    });
  });

  it('a written decision also acknowledges one not yet acknowledged', () => {
    expect(decide(grievance(), decision('2026-11-05T09:00:00.000Z'), now)).toMatchObject({
      acknowledgedAt: '2026-11-05T09:00:00.000Z',
      acknowledgedOnTime: true,
      resolvedOnTime: true,
    });
  });

  it('refuses times in the future or before receipt, and changes to a resolved grievance', () => {
    expect(() => acknowledge(grievance(), '2026-12-16T00:00:00.000Z', now)).toThrow(ValidationError);
    expect(() => decide(grievance(), decision('2026-10-01T00:00:00.000Z'), now)).toThrow(/before the grievance/);
    const resolved = decide(grievance(), decision('2026-11-05T09:00:00.000Z'), now);
    expect(() => addNote(resolved, { by: 'x', text: 'y' }, now)).toThrow(ConflictError);
    expect(() => decide(resolved, decision('2026-11-06T09:00:00.000Z'), now)).toThrow(ConflictError);
  });

  it('hands the waiting state at least one second to the deadline', () => {
    expect(secondsUntil('2026-12-14T00:00:00.000Z', now)).toBe(1);
    expect(grievanceProgress(grievance(), new Date('2026-11-30T09:00:00.000Z'))).toEqual({
      status: 'open',
      resolved: false,
      secondsToResolve: 86_400,
    });
  });
});
