import { describe, expect, it } from 'vitest';
import { chooseCareManager, rosterEntry } from '../../shared/domain/caseloads';
import { ValidationError } from '../../shared/domain/errors';

const roster = [
  { careManagerId: 'cm-b', name: 'B', units: ['4W'], maxCaseload: 3 },
  { careManagerId: 'cm-a', name: 'A', units: ['4W', '5E'], maxCaseload: 3 },
  { careManagerId: 'cm-c', name: 'C', units: ['ICU'], maxCaseload: 1 },
];

describe('caseload assignment', () => {
  it('picks a care manager covering the unit, least loaded first, then by id', () => {
    expect(chooseCareManager(roster, '4W', {})?.careManagerId).toBe('cm-a');
    expect(chooseCareManager(roster, '4W', { 'cm-a': 2, 'cm-b': 1 })?.careManagerId).toBe('cm-b');
    expect(chooseCareManager(roster, '5E', { 'cm-b': 0 })?.careManagerId).toBe('cm-a');
  });

  it('never picks one at their maximum; nobody when all are full or none covers the unit', () => {
    expect(chooseCareManager(roster, '4W', { 'cm-a': 3, 'cm-b': 2 })?.careManagerId).toBe('cm-b');
    expect(chooseCareManager(roster, 'ICU', { 'cm-c': 1 })).toBeUndefined();
    expect(chooseCareManager(roster, 'NICU', {})).toBeUndefined();
  });

  it('names the field when a care manager is unknown', () => {
    expect(() => rosterEntry(roster, 'cm-z')).toThrow(ValidationError);
  });
});
