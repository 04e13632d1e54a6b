import { describe, expect, it } from 'vitest';
import { mayComplete, minimumNecessary } from '../../shared/domain/access';

describe('who may complete a task', () => {
  it('is the owning role, those that stand in for it, or a hospital system relaying the EHR', () => {
    expect(mayComplete(['physician'], 'physician')).toBe(true);
    expect(mayComplete(['nurse'], 'physician')).toBe(false);
    expect(mayComplete(['care-manager', 'nurse'], 'physician')).toBe(false);
    expect(mayComplete(['pharmacist'], 'pharmacist')).toBe(true);
    expect(mayComplete(['physician'], 'pharmacist')).toBe(true);
    expect(mayComplete(['nurse'], 'pharmacist')).toBe(false);
    expect(mayComplete(['social-worker'], 'care-manager')).toBe(true);
    expect(mayComplete(['patient-services'], 'care-manager')).toBe(false);
    expect(mayComplete(['patient-services'], 'patient-relations')).toBe(true);
    expect(mayComplete(['operator'], 'operator')).toBe(true);
    expect(mayComplete(['operator'], 'physician')).toBe(false);
    expect(mayComplete(['auditor'], 'care-manager')).toBe(false);
    expect(mayComplete(['integration-client'], 'physician')).toBe(true);
    expect(mayComplete([], 'care-manager')).toBe(false);
  });
});

describe('the minimum necessary view of a stay', () => {
  const stay = { encounterId: 'e1', unit: '4W', status: 'admitted', needsAssessment: { notes: 'x' }, medicationReconciliation: { status: 'complete' }, goalsOfCare: { code: 'full' } };

  it('leaves the clinical record out for roles that follow the stay without treating the patient', () => {
    for (const roles of [['operator'], ['patient-services'], ['operator', 'patient-services']] as const) {
      expect(minimumNecessary(stay, roles)).toEqual({ encounterId: 'e1', unit: '4W', status: 'admitted' });
    }
  });

  it('keeps it whole for the care team, auditors and hospital systems', () => {
    for (const roles of [['nurse'], ['auditor'], ['integration-client'], ['operator', 'pharmacist']] as const) {
      expect(minimumNecessary(stay, roles)).toEqual(stay);
    }
  });
});
