import { describe, expect, it } from 'vitest';
import { interpretAdt, type AdtMessage } from '../../shared/domain/adt/adt-message';
import { applyAdtToPatient, patientFromAdt } from '../../shared/domain/adt/apply-to-patient';
import { appointmentsVoidedByDeath, deathInAdt, recordDeath, stayToTell, tasksMootAfter, withdrawnSurvey } from '../../shared/domain/death';
import type { Patient } from '../../shared/domain/encounter';
import { toFhirPatient } from '../../shared/domain/fhir';
import { contributionOfEncounter } from '../../shared/domain/metrics';
import { answerSurvey } from '../../shared/domain/satisfaction';
import type { Appointment } from '../../shared/domain/scheduling';
import { newTask, type TaskType } from '../../shared/domain/tasks';
import { adt } from '../fixtures/adt';

const now = new Date('2026-10-14T09:30:00Z');

function message(options: Parameters<typeof adt>[0]): AdtMessage {
  const result = interpretAdt(adt(options));
  if (!result.ok) throw new Error(result.problem.reason);
  return result.message;
}

const living: Patient = {
  patientId: 'p-7',
  facilityId: 'F1',
  identifiers: [{ system: 'urn:hl7v2:authority:GENHOSP', value: 'MRN-7', type: 'MR' }],
  version: 3,
  demographicsAsOf: '2026-10-01T08:00:00.000Z',
};

describe('a death in an ADT message (HL7 v2.5.1 PID-29/30, table 0112)', () => {
  it.each([
    ['20', 'expired'],
    ['40', 'expired at home'],
    ['42', 'expired, place unknown'],
  ])('A03 with PV1-36 %s (%s) and no PID-29: died at the discharge time', (code) => {
    const a03 = message({ event: 'A03', mrn: 'MRN-7', visit: 'V-7', at: '202610130655', dischargedAt: '202610130640', disposition: code });
    expect(deathInAdt(a03)).toEqual({ at: '2026-10-13T06:40:00.000Z', timeFrom: 'discharge', source: 'adt' });
  });

  it('without PV1-45 the event time stands for the time of death', () => {
    const a03 = message({ event: 'A03', mrn: 'MRN-7', visit: 'V-7', at: '202610130655', disposition: '41' });
    expect(deathInAdt(a03)?.at).toBe('2026-10-13T06:55:00.000Z');
  });

  it('PID-29 wins over the discharge time; PID-30 Y alone is a death without a time; N or nothing is no death', () => {
    expect(
      deathInAdt(message({ event: 'A03', mrn: 'M', visit: 'V', at: '202610130655', disposition: '20', deceasedAt: '202610130512' })),
    ).toEqual({
      at: '2026-10-13T05:12:00.000Z',
      timeFrom: 'PID-29',
      source: 'adt',
    });
    expect(deathInAdt(message({ event: 'A08', mrn: 'M', visit: 'V', deathIndicator: 'Y' }))).toEqual({ timeFrom: 'none', source: 'adt' });
    expect(deathInAdt(message({ event: 'A08', mrn: 'M', visit: 'V', deathIndicator: 'N' }))).toBeUndefined();
    expect(deathInAdt(message({ event: 'A03', mrn: 'M', visit: 'V', disposition: '01' }))).toBeUndefined();
    expect(deathInAdt(message({ event: 'A03', mrn: 'M', visit: 'V', disposition: '07' }))).toBeUndefined();
    // Only a discharge says the stay ended in death: an A08 carrying PV1-36 20 is not a death report.
    expect(deathInAdt(message({ event: 'A08', mrn: 'M', visit: 'V', disposition: '20' }))).toBeUndefined();
  });

  it('a new patient from an A03 expired is registered deceased; an older A08 without PID-29 later does not revive them', () => {
    const a03 = message({ event: 'A03', mrn: 'MRN-8', visit: 'V-8', at: '202610130655', dischargedAt: '202610130640', disposition: '20' });
    const created = patientFromAdt(a03.patient!, { patientId: 'p-8', facilityId: 'F1' }, a03.eventTime, now, deathInAdt(a03));
    expect(created).toMatchObject({
      deceased: true,
      deceasedAt: '2026-10-13T06:40:00.000Z',
      deathEffects: 'pending',
      death: { source: 'adt', timeFrom: 'discharge' },
    });
    const later = message({ event: 'A08', mrn: 'MRN-8', visit: 'V-8', at: '202610140800', family: 'Renamed' });
    const { next } = applyAdtToPatient(created, later.patient!, later.eventTime, now, deathInAdt(later));
    expect(next).toMatchObject({ deceased: true, deceasedAt: '2026-10-13T06:40:00.000Z', name: { family: 'Renamed' } });
  });

  it('a late (older) message still reports the death: it is true whenever it arrives', () => {
    const late = message({ event: 'A08', mrn: 'MRN-7', visit: 'V-7', at: '202609300800', deceasedAt: '202609300700' });
    const { next, changed } = applyAdtToPatient(living, late.patient!, late.eventTime, now, deathInAdt(late));
    expect(changed).toBe(true);
    expect(next).toMatchObject({ deceased: true, deceasedAt: '2026-09-30T07:00:00.000Z', demographicsAsOf: '2026-10-01T08:00:00.000Z' });
  });
});

describe('recording a death once', () => {
  it('the first report marks the patient and asks for the effects; a repeat changes nothing', () => {
    const first = recordDeath(
      living,
      { at: '2026-10-13T06:40:00.000Z', timeFrom: 'discharge', source: 'discharge-order', encounterId: 'e-7' },
      now,
    );
    expect(first).toMatchObject({ changed: true, first: true });
    expect(first.next).toMatchObject({
      deceased: true,
      deathEffects: 'pending',
      death: { recordedAt: now.toISOString(), source: 'discharge-order', encounterId: 'e-7' },
    });
    const again = recordDeath(
      { ...first.next, deathEffects: 'done' },
      { at: '2026-10-13T06:45:00.000Z', timeFrom: 'discharge', source: 'adt' },
      now,
    );
    expect(again.changed).toBe(false);
  });

  it('a PID-29 time corrects a time taken from the discharge, without asking for the effects again', () => {
    const { next } = recordDeath(living, { at: '2026-10-13T06:40:00.000Z', timeFrom: 'discharge', source: 'adt' }, now);
    const corrected = recordDeath(
      { ...next, deathEffects: 'done' },
      { at: '2026-10-13T06:02:00.000Z', timeFrom: 'PID-29', source: 'adt' },
      now,
    );
    expect(corrected).toMatchObject({
      changed: true,
      first: false,
      next: { deceasedAt: '2026-10-13T06:02:00.000Z', deathEffects: 'done', death: { timeFrom: 'PID-29' } },
    });
  });

  it('FHIR Patient: deceasedDateTime with a time, deceasedBoolean without one', () => {
    expect(
      toFhirPatient(recordDeath(living, { at: '2026-10-13T06:40:00.000Z', timeFrom: 'discharge', source: 'adt' }, now).next),
    ).toMatchObject({ deceasedDateTime: '2026-10-13T06:40:00.000Z' });
    const noTime = toFhirPatient(recordDeath(living, { timeFrom: 'none', source: 'adt' }, now).next);
    expect(noTime).toMatchObject({ deceasedBoolean: true });
    expect(noTime).not.toHaveProperty('deceasedDateTime');
    expect(toFhirPatient(living)).not.toHaveProperty('deceasedBoolean');
  });
});

describe('what a death voids', () => {
  const appointment = (id: string, start: string, status: Appointment['status'] = 'booked'): Appointment => ({
    appointmentId: id,
    facilityId: 'F1',
    patientId: 'p-7',
    encounterId: 'e-7',
    slotId: `s-${id}`,
    practitionerId: 'pr-1',
    clinic: 'Synthetic Cardiology Clinic',
    start,
    end: start,
    reason: 'Follow-up',
    status,
    bookedBy: 'cm',
    bookedAt: '2026-10-01T10:00:00.000Z',
    version: 1,
  });

  it('booked appointments from the time of death on; earlier and cancelled ones stay as they are', () => {
    const voided = appointmentsVoidedByDeath(
      [
        appointment('before', '2026-10-12T15:00:00.000Z'),
        appointment('after', '2026-10-20T15:00:00.000Z'),
        appointment('gone', '2026-10-21T15:00:00.000Z', 'cancelled'),
      ],
      '2026-10-13T06:40:00.000Z',
    );
    expect(voided.map((a) => a.appointmentId)).toEqual(['after']);
  });

  it('an unanswered survey is withdrawn, cannot be answered, and is not counted as sent', () => {
    const sent = { surveyId: 'sv-1', sentAt: '2026-10-10T12:00:00.000Z', status: 'sent' as const };
    const withdrawn = withdrawnSurvey(sent, now);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', withdrawnAt: now.toISOString(), withdrawnReason: 'patient died' });
    expect(withdrawnSurvey({ ...sent, status: 'answered', answers: { 'overall-rating': 9 } }, now)).toBeUndefined();
    expect(() => answerSurvey(withdrawn, { 'overall-rating': 8 }, { answeredAt: now.toISOString(), channel: 'mail' }, now)).toThrow(
      /withdrawn/,
    );
    const stay = {
      encounterId: 'e-7',
      patientId: 'p-7',
      facilityId: 'F1',
      unit: '4W',
      class: 'inpatient' as const,
      admissionType: 'emergency' as const,
      admittedAt: '2026-10-01T08:00:00.000Z',
      status: 'discharged' as const,
      version: 4,
      discharge: { disposition: 'home' as const, dischargedAt: '2026-10-05T12:00:00.000Z' },
    };
    const counted = (s: typeof stay & { satisfactionSurvey?: unknown }) =>
      Object.values(contributionOfEncounter(s as never))
        .map((c) => JSON.stringify(c))
        .join();
    expect(counted({ ...stay, satisfactionSurvey: sent })).toContain('surveysSent');
    expect(counted({ ...stay, satisfactionSurvey: withdrawn })).not.toContain('surveysSent');
  });

  const open = (type: TaskType) =>
    newTask(
      {
        taskId: `t-${type}`,
        facilityId: 'F1',
        encounterId: 'e-7',
        type,
        priority: 'routine',
        dueAt: '2026-10-15T00:00:00.000Z',
        resumesWorkflow: false,
      },
      now,
    );
  const all: TaskType[] = [
    'needs-assessment',
    'patient-choice',
    'discharge-requirements',
    'pharmacist-review',
    'follow-up-contact',
    'review-care-plan',
    'grievance-response',
    'needs-attention',
    'qio-referral',
  ];

  it('a death closes planning, outreach and care-plan reviews; grievances and operator tasks stay', () => {
    const { tasks, reason } = tasksMootAfter('expired', all.map(open));
    expect(tasks.map((t) => t.type)).toEqual([
      'needs-assessment',
      'patient-choice',
      'discharge-requirements',
      'pharmacist-review',
      'follow-up-contact',
      'review-care-plan',
    ]);
    expect(reason).toBe('patient died');
  });

  it('leaving against medical advice closes the planning tasks only; other dispositions close nothing', () => {
    const { tasks, reason } = tasksMootAfter('left-against-medical-advice', all.map(open));
    expect(tasks.map((t) => t.type)).toEqual(['needs-assessment', 'patient-choice', 'discharge-requirements', 'pharmacist-review']);
    expect(reason).toBe('patient left against medical advice');
    expect(tasksMootAfter('skilled-nursing', all.map(open)).tasks).toEqual([]);
  });

  it("the team told is the death's stay, else the latest one not cancelled", () => {
    const stays = [
      { encounterId: 'old', admittedAt: '2026-08-01T00:00:00Z', status: 'discharged' },
      { encounterId: 'new', admittedAt: '2026-10-01T00:00:00Z', status: 'discharged' },
      { encounterId: 'void', admittedAt: '2026-10-09T00:00:00Z', status: 'cancelled' },
    ];
    expect(stayToTell({ death: { recordedAt: '', source: 'adt', timeFrom: 'none', encounterId: 'old' } }, stays)?.encounterId).toBe('old');
    expect(stayToTell({}, stays)?.encounterId).toBe('new');
  });
});
