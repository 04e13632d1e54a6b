import { describe, expect, it } from 'vitest';
import { interpretAdt, type AdtMessage } from '../../shared/domain/adt/adt-message';
import { DEFAULT_ADT_MAPPINGS } from '../../shared/domain/adt/mappings';
import { dischargeBeforeAdmissionProblem, futureTimeProblem } from '../../shared/domain/adt/time-bounds';
import { adt, type AdtOptions } from '../fixtures/adt';

const now = new Date('2026-11-23T12:00:00Z');

function message(options: Partial<AdtOptions>): AdtMessage {
  const result = interpretAdt(adt({ event: 'A01', mrn: 'MRN-T', visit: 'V-T', ...options }));
  if (!result.ok) throw new Error(result.problem.reason);
  return result.message;
}

describe('futureTimeProblem: event times more than the clock skew ahead are AE', () => {
  it.each([
    {
      name: 'A01 dated 2 days ahead',
      options: { event: 'A01', at: '202611251200', admittedAt: '202611200800' },
      field: 'EVN-2',
      location: 'EVN^1^2',
    },
    { name: 'A08 with EVN 1 hour ahead', options: { event: 'A08', at: '202611231300' }, field: 'EVN-2', location: 'EVN^1^2' },
    {
      name: 'A01 admit time (PV1-44) a day ahead',
      options: { event: 'A01', at: '202611231000', admittedAt: '202611241000' },
      field: 'PV1-44',
      location: 'PV1^1^44',
    },
    {
      name: 'A03 discharge time (PV1-45) 3 days ahead',
      options: { event: 'A03', at: '202611231000', dischargedAt: '202611261000' },
      field: 'PV1-45',
      location: 'PV1^1^45',
    },
  ])('$name → AE naming $field', ({ options, field, location }) => {
    const problem = futureTimeProblem(message(options), now);
    expect(problem).toMatchObject({ ackCode: 'AE', location });
    expect(problem!.reason).toContain(field);
    expect(problem!.reason).toMatch(/in the future; nothing applied/);
  });

  it.each([
    { name: 'an event now', options: { at: '202611231200' } },
    { name: 'an event 4 minutes ahead (within the skew)', options: { at: '202611231204' } },
    { name: 'an event in the past', options: { at: '202611200800' } },
    {
      name: 'an A16 with an expected discharge (PV2-9) days ahead: a plan, not an event',
      options: { event: 'A16', at: '202611231000', expectedDischarge: '202611281400' },
    },
  ])('$name → accepted', ({ options }) => {
    expect(futureTimeProblem(message(options), now)).toBeUndefined();
  });
});

describe('dischargeBeforeAdmissionProblem: an A03 before the stay began is AE', () => {
  it.each([
    {
      name: 'PV1-45 before PV1-44 in the message',
      options: { event: 'A03', at: '202611221000', admittedAt: '202611200800', dischargedAt: '202611190800' },
      stay: undefined,
      field: 'PV1-45',
    },
    {
      name: 'event time before the recorded admission (no PV1-44/45)',
      options: { event: 'A03', at: '202611190800', admittedAt: '' },
      stay: '2026-11-20T08:00:00.000Z',
      field: 'EVN-2',
    },
  ])('$name → AE naming $field', ({ options, stay, field }) => {
    const problem = dischargeBeforeAdmissionProblem(message(options), stay);
    expect(problem?.ackCode).toBe('AE');
    expect(problem!.reason).toContain(field);
    expect(problem!.reason).toContain('before the admission');
  });

  it.each([
    {
      name: 'a discharge after the admission',
      options: { event: 'A03', at: '202611221000', dischargedAt: '202611221000' },
      stay: '2026-11-20T08:00:00.000Z',
    },
    { name: 'a same-minute discharge', options: { event: 'A03', at: '202611200800', admittedAt: '202611200800' }, stay: undefined },
    { name: 'an A02 is not a discharge', options: { event: 'A02', at: '202611190800' }, stay: '2026-11-20T08:00:00.000Z' },
  ])('$name → accepted', ({ options, stay }) => {
    expect(dischargeBeforeAdmissionProblem(message(options), stay)).toBeUndefined();
  });
});

describe('observation stays with the default mapping', () => {
  it.each([
    { name: 'PV1-2 O with PV1-18 OBS', patientClass: 'O', patientType: 'OBS', expected: 'observation' },
    { name: 'PV1-2 I with PV1-18 OBV', patientClass: 'I', patientType: 'OBV', expected: 'observation' },
    { name: 'PV1-2 site code OBS', patientClass: 'OBS', patientType: '', expected: 'observation' },
    { name: 'PV1-2 O, no patient type', patientClass: 'O', patientType: '', expected: 'outpatient' },
    { name: 'PV1-2 I, an unmapped patient type defers to PV1-2', patientClass: 'I', patientType: 'XYZ', expected: 'inpatient' },
  ])('$name → $expected', ({ patientClass, patientType, expected }) => {
    expect(message({ event: 'A04', patientClass, patientType }).visit?.encounterClass).toBe(expected);
  });

  it('a site overrides the table (its own patient type for observation)', () => {
    const mappings = { ...DEFAULT_ADT_MAPPINGS, patientType: { '7': 'observation' as const } };
    const result = interpretAdt(adt({ event: 'A01', mrn: 'M', visit: 'V', patientClass: 'O', patientType: '7' }), mappings);
    expect(result.ok && result.message.visit?.encounterClass).toBe('observation');
  });
});
