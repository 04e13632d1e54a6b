import { describe, expect, it } from 'vitest';
import { interpretAdt, type AdtMessage, type AdtVisit } from '../../shared/domain/adt/adt-message';
import { applyAdtToEncounter, encounterFromAdt, patched, type EncounterEvent } from '../../shared/domain/adt/apply-to-encounter';
import { applyAdtToPatient, mergePatients, patientFromAdt } from '../../shared/domain/adt/apply-to-patient';
import { toFhirEncounter } from '../../shared/domain/fhir';
import type { Encounter } from '../../shared/domain/encounter';
import { adt } from '../fixtures/adt';

const now = new Date('2026-11-23T12:00:00Z');

function message(options: Parameters<typeof adt>[0]) {
  const result = interpretAdt(adt(options));
  if (!result.ok) throw new Error(result.problem.reason);
  return result.message as AdtMessage & { visit: AdtVisit };
}

function admitted(): Encounter {
  const first = message({ event: 'A01', mrn: 'MRN-1', visit: 'V-1', at: '202611200800' });
  const created = encounterFromAdt(first, { encounterId: 'e1', patientId: 'p1', facilityId: 'F1' }, now);
  const { patch } = applyAdtToEncounter(created, first, 'A01');
  return { ...created, ...patch } as Encounter;
}

function apply(encounter: Encounter, event: EncounterEvent, options: Partial<Parameters<typeof adt>[0]>) {
  const result = applyAdtToEncounter(encounter, message({ event, mrn: 'MRN-1', visit: 'V-1', ...options }), event);
  const next = { ...patched(encounter, result.patch), ...(result.status ? { status: result.status } : {}) };
  return { result, next };
}

describe('applyAdtToEncounter', () => {
  it('A03 maps the disposition table and the PV1-45 time, then A13 undoes it', () => {
    const { next: discharged } = apply(admitted(), 'A03', { at: '202611221400', disposition: '06', dischargedAt: '202611221415' });
    expect(discharged).toMatchObject({
      status: 'discharged',
      discharge: { disposition: 'home-health', dispositionCode: '06', dischargedAt: '2026-11-22T14:15:00.000Z', source: 'adt' },
    });
    const { next: back } = apply(discharged, 'A13', { at: '202611221500' });
    expect(back.status).toBe('assessment-pending');
    expect(back.discharge).toBeUndefined();
    expect(back.reopenedAt).toBe('2026-11-22T15:00:00.000Z');
  });

  it.each([
    ['20', 'expired'],
    ['07', 'left-against-medical-advice'],
    ['62', 'inpatient-rehab'],
    ['99', 'other'],
  ])('disposition code %s is %s', (code, disposition) => {
    expect(apply(admitted(), 'A03', { disposition: code, at: '202611221400' }).next.discharge?.disposition).toBe(disposition);
  });

  it('an older message changes no aspect a newer one already set, but still says so', () => {
    const { next: moved } = apply(admitted(), 'A02', { at: '202611201100', location: '6S^601^A' });
    const { result, next } = apply(moved, 'A02', { at: '202611201000', location: '2W^201^A' });
    expect(result).toMatchObject({ applied: [], stale: ['location'], note: expect.stringContaining('history only') });
    expect(next.location?.pointOfCare).toBe('6S');
  });

  it('aspects are independent: a late A08 still updates details it owns that nothing newer set', () => {
    const { next: moved } = apply(admitted(), 'A02', { at: '202611201100', location: '6S^601^A' });
    const { result } = apply(moved, 'A08', { at: '202611201000', location: '2W^201^A' });
    expect(result.applied).toEqual(['details']);
    expect(result.stale).toEqual(['location']);
  });

  it('a late A03 for a visit cancelled after it changes the record, not the status', () => {
    const { next: cancelled } = apply(admitted(), 'A11', { at: '202611201200' });
    const { next } = apply(cancelled, 'A03', { at: '202611201100', disposition: '01' });
    expect(next.status).toBe('cancelled');
  });

  it('A11 cancels; a newer A01 for the same visit reinstates', () => {
    const { next: cancelled } = apply(admitted(), 'A11', { at: '202611200900' });
    expect(cancelled.status).toBe('cancelled');
    expect(apply(cancelled, 'A01', { at: '202611201000' }).next.status).toBe('admitted');
  });
});

describe('patients from ADT', () => {
  const pid = (family: string, at: string) => message({ event: 'A08', mrn: 'MRN-1', visit: 'V-1', family, at, otherIds: ['999^^^SSA^SS'] });

  it('registers every PID-3 identifier with its type', () => {
    const m = pid('Doe', '202611200800');
    expect(patientFromAdt(m.patient!, { patientId: 'p1', facilityId: 'F1' }, m.eventTime, now).identifiers).toEqual([
      { system: 'urn:hl7v2:authority:GENHOSP', value: 'MRN-1', type: 'MR' },
      { system: 'urn:hl7v2:authority:SSA', value: '999', type: 'SS' },
    ]);
  });

  it('keeps newer demographics when an older message arrives late', () => {
    const newer = pid('Newname', '202611201000');
    const patient = patientFromAdt(newer.patient!, { patientId: 'p1', facilityId: 'F1' }, newer.eventTime, now);
    const older = pid('Oldname', '202611200900');
    expect(applyAdtToPatient(patient, older.patient!, older.eventTime, now)).toMatchObject({
      changed: false,
      next: { name: { family: 'Newname' } },
    });
  });

  it('a merge gives the survivor both identifier sets and marks the other record', () => {
    const a = patientFromAdt(
      message({ event: 'A28', mrn: 'MRN-A' }).patient!,
      { patientId: 'a', facilityId: 'F1' },
      '2026-11-20T00:00:00Z',
      now,
    );
    const b = patientFromAdt(
      message({ event: 'A28', mrn: 'MRN-B' }).patient!,
      { patientId: 'b', facilityId: 'F1' },
      '2026-11-20T00:00:00Z',
      now,
    );
    const result = mergePatients(b, a, now);
    expect(result.survivor.identifiers.map((i) => i.value)).toEqual(['MRN-B', 'MRN-A']);
    expect(result.merged.mergedInto).toBe('b');
  });
});

describe('toFhirEncounter', () => {
  it('is finished with the R4 discharge disposition after a discharge', () => {
    const { next } = apply(admitted(), 'A03', { disposition: '03', at: '202611221400' });
    expect(toFhirEncounter(next)).toMatchObject({
      status: 'finished',
      class: { code: 'IMP' },
      period: { start: '2026-11-20T08:00:00.000Z', end: '2026-11-22T14:00:00.000Z' },
      identifier: [{ value: 'V-1' }],
      hospitalization: { dischargeDisposition: { coding: [{ code: 'snf' }] } },
    });
  });
});
