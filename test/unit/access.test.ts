import { describe, expect, it } from 'vitest';
import { mayComplete, minimumNecessary, minimumNecessaryTask, project, ROLES } from '../../shared/domain/access';
import type { Encounter } from '../../shared/domain/encounter';

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
  const stay = {
    encounterId: 'e1',
    unit: '4W',
    status: 'admitted',
    needsAssessment: { notes: 'x' },
    medicationReconciliation: { status: 'complete' },
    goalsOfCare: { code: 'full' },
  };

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

describe('the minimum necessary is an allow-list', () => {
  const admitted: Encounter = {
    encounterId: 'e2',
    facilityId: 'F1',
    patientId: 'p2',
    unit: '5E',
    class: 'inpatient',
    admissionType: 'urgent',
    admittedAt: '2026-10-02T08:00:00Z',
    status: 'admitted',
    version: 7,
    createdAt: '2026-10-02T08:00:00Z',
    updatedAt: '2026-10-03T09:30:00Z',
  };

  it('keeps every required field of a stay for every role, so a view still renders (FHIR)', () => {
    for (const role of ROLES) expect(minimumNecessary(admitted, [role]), role).toEqual(admitted);
  });

  it('leaves out a part no list names, so a clinical field added later is hidden by default', () => {
    const later = { ...admitted, frailtyScore: { clinicalFrailtyScale: 6 }, wound: 'stage 2 sacral' };
    expect(minimumNecessary(later, ['operator'])).toEqual(admitted);
    expect(minimumNecessary(later, ['patient-services'])).toEqual(admitted);
    expect(minimumNecessary(later, ['pharmacist'])).toEqual(later);
  });

  it('keeps where the patient went but not who signed the order, and the survey only for patient services', () => {
    const discharged = {
      ...admitted,
      status: 'discharged',
      discharge: {
        disposition: 'skilled-nursing',
        dischargedAt: '2026-10-09T15:00:00Z',
        orderedBy: 'Dr Synthetic',
        signedBy: { who: 'dr-1', roles: ['physician'] },
      },
      satisfactionSurvey: {
        surveyId: 's1',
        sentAt: '2026-10-10T10:00:00Z',
        status: 'withdrawn',
        withdrawnReason: 'deceased',
        withdrawnAt: '2026-10-11T10:00:00Z',
      },
    };
    const place = { disposition: 'skilled-nursing', dischargedAt: '2026-10-09T15:00:00Z' };
    expect(minimumNecessary(discharged, ['operator'])).toEqual({ ...admitted, status: 'discharged', discharge: place });
    expect(minimumNecessary(discharged, ['patient-services'])).toEqual({
      ...admitted,
      status: 'discharged',
      discharge: place,
      satisfactionSurvey: { surveyId: 's1', sentAt: '2026-10-10T10:00:00Z', status: 'withdrawn' },
    });
    // Several roles: what any of them sees.
    expect(minimumNecessary(discharged, ['operator', 'patient-services'])).toEqual(minimumNecessary(discharged, ['patient-services']));
  });

  it('leaves out what a task was completed with, and any field no list names', () => {
    const task = {
      taskId: 't1',
      encounterId: 'e2',
      type: 'needs-assessment',
      status: 'completed',
      data: { needs: ['oxygen'] },
      painScore: 8,
    };
    expect(minimumNecessaryTask(task, ['patient-services'])).toEqual({
      taskId: 't1',
      encounterId: 'e2',
      type: 'needs-assessment',
      status: 'completed',
    });
    expect(minimumNecessaryTask(task, ['operator'])).toEqual({
      taskId: 't1',
      encounterId: 'e2',
      type: 'needs-assessment',
      status: 'completed',
    });
    expect(minimumNecessaryTask(task, ['care-manager'])).toEqual(task);
  });

  it('projects each element of an array, and nothing of a value where an object was expected', () => {
    const view = { a: true, b: { c: true } } as const;
    expect(project([{ a: 1, x: 2 }, { b: [{ c: 3, d: 4 }] }], view)).toEqual([{ a: 1 }, { b: [{ c: 3 }] }]);
    expect(project({ a: 1, b: 'text' }, view)).toEqual({ a: 1 });
  });
});
