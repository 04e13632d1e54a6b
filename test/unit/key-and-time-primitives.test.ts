import { describe, expect, it } from 'vitest';
import { interpretAdt } from '../../shared/domain/adt/adt-message';
import { hl7DateToIso, hl7TimeToIso } from '../../shared/domain/adt/hl7-time';
import { identifierSchema } from '../../shared/schemas/patient';
import { utf8Bytes } from '../../shared/domain/text-hygiene';
import { identifierSystem, identifierValue, keyText } from '../../shared/schemas/keys';
import { calendarDate, calendarMonth, instant, utcInstant } from '../../shared/schemas/time';
import { keys } from '../../shared/store/keys';
import { adt } from '../fixtures/adt';
import { syntheticAdmission } from '../fixtures/admissions';
import { admitPatientBody } from '../../shared/schemas/admission';

const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe('keyText: limits in characters and in UTF-8 bytes', () => {
  const text = keyText(10, 12);

  it.each([
    ['ASCII at the character limit', 'abcdefghij'],
    ['two-byte letters within the byte limit', 'ññññña'], // 6 characters, 11 bytes
    ['a four-byte letter (two UTF-16 units)', '𝄞abc'],
  ])('accepts %s', (_case, value) => {
    expect(text.safeParse(value).success).toBe(true);
  });

  it('refuses a value within the character limit but over the byte limit, saying bytes', () => {
    const value = '日本語の番号'; // 6 characters, 18 bytes
    expect(value.length).toBeLessThanOrEqual(10);
    expect(messages(text.safeParse(value))).toEqual([expect.stringContaining('at most 12 bytes in UTF-8')]);
  });

  it('counts characters as zod does (code points), so four-byte letters over the byte limit are refused', () => {
    // 6 characters, 12 UTF-16 units, 24 bytes: judged by UTF-16 length it passed both checks.
    expect(messages(text.safeParse('𝄞'.repeat(6)))).toEqual([expect.stringContaining('at most 12 bytes in UTF-8')]);
    expect(identifierSystem.safeParse('𝄞'.repeat(120)).success).toBe(false);
    expect(identifierValue.safeParse('😀'.repeat(51)).success).toBe(false);
  });

  it('refuses empty and over-long text', () => {
    expect(text.safeParse('').success).toBe(false);
    expect(text.safeParse('abcdefghijk').success).toBe(false);
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    expect(utf8Bytes('é')).toBe(2);
    expect(utf8Bytes('€')).toBe(3);
    expect(utf8Bytes('𝄞')).toBe(4);
  });
});

describe('patient identifiers fit the PATIENT_ID key at any accepted size', () => {
  const longestFacility = 'f'.repeat(64); // the token's facility: 1–64 of [A-Za-z0-9._-], never encoded

  // URI encoding makes each byte of a two-byte letter three characters: the worst case per UTF-16 unit
  // within both limits (three-byte letters hit the byte limit first).
  it.each([
    ['two-byte letters', 'é'.repeat(200), 'é'.repeat(100)],
    ['three-byte letters', '€'.repeat(133), '€'.repeat(66)],
    ['ASCII that URI-encodes', '/'.repeat(200), ':'.repeat(100)],
  ])('%s at both limits are accepted and their key is under 2,048 bytes', (_case, system, value) => {
    expect(identifierSchema.safeParse({ system, value }).success).toBe(true);
    const { pk } = keys.patientIdentifier(longestFacility, system, value);
    expect(utf8Bytes(pk)).toBeLessThanOrEqual(2048);
  });

  it('refuses a value of 99 three-byte letters (under 100 characters, 297 bytes), naming value', () => {
    const result = identifierSchema.safeParse({ system: 'urn:example:mrn', value: 'あ'.repeat(99) });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['value']);
  });

  it('refuses a system of 150 three-byte letters (under 200 characters, 450 bytes)', () => {
    expect(identifierSystem.safeParse('系'.repeat(150)).success).toBe(false);
    expect(identifierValue.safeParse('MRN-Ünal-7').success).toBe(true);
  });
});

describe('calendarDate, calendarMonth, instant: no year before 1900, none of five digits', () => {
  it.each(['0000-01-01', '0001-06-15', '0999-12-31', '1899-12-31', '10000-01-01', '2026-02-30', '2026-1-5'])(
    'refuses the date %s',
    (value) => {
      expect(calendarDate.safeParse(value).success).toBe(false);
    },
  );

  it.each(['1900-01-01', '1987-07-14', '2024-02-29', '9999-12-31'])('accepts the date %s', (value) => {
    expect(calendarDate.safeParse(value).success).toBe(true);
  });

  it('says why a year is refused', () => {
    expect(messages(calendarDate.safeParse('0000-03-04'))).toEqual(['must be in 1900 or later']);
    expect(messages(calendarMonth.safeParse('0000-03'))).toEqual(['must be in 1900 or later']);
    expect(messages(instant.safeParse('0000-03-04T10:00:00Z'))).toEqual(['must be in 1900 or later']);
  });

  it.each(['0000-01', '0850-11', '1899-12', '10000-01', '2026-13'])('refuses the month %s', (value) => {
    expect(calendarMonth.safeParse(value).success).toBe(false);
  });

  it.each(['1900-01', '2026-12'])('accepts the month %s', (value) => {
    expect(calendarMonth.safeParse(value).success).toBe(true);
  });

  it.each([
    '0000-01-01T00:00:00Z',
    '0099-05-05T12:00:00+02:00',
    '0999-12-31T23:59:59Z',
    '1850-03-01T08:00:00-05:00',
    '10000-01-01T00:00:00Z',
    '2026-03-01T09:30:00',
  ])('refuses the instant %s', (value) => {
    expect(instant.safeParse(value).success).toBe(false);
    expect(utcInstant.safeParse(value).success).toBe(false);
  });

  it('gives one reason a field: a five-digit year is a format error, and a cross-field check does not pile on', () => {
    expect(messages(calendarDate.safeParse('10000-01-01'))).toEqual(['must be a date, YYYY-MM-DD']);
    expect(messages(instant.safeParse('10000-01-01T00:00:00Z'))).toHaveLength(1);
    for (const admittedAt of ['0000-03-04T10:00:00Z', '10000-03-04T10:00:00Z']) {
      const result = admitPatientBody.safeParse(syntheticAdmission({ admittedAt }));
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['admittedAt']);
    }
    expect(messages(keyText(10, 12).safeParse('番'.repeat(11)))).toHaveLength(1);
  });

  it('keeps an instant as written, or normalises it to UTC', () => {
    expect(instant.parse('1975-11-20T07:45:00+01:00')).toBe('1975-11-20T07:45:00+01:00');
    expect(utcInstant.parse('1975-11-20T07:45:00+01:00')).toBe('1975-11-20T06:45:00.000Z');
  });
});

describe('HL7 times: no year before 1880 (Date.UTC would read 0000 as 1900 and 0099 as 1999)', () => {
  it.each(['00000101', '00991231', '0999063012', '18791231235959'])('%s is no time', (text) => {
    expect(hl7TimeToIso(text, 'UTC')).toBeUndefined();
    expect(hl7DateToIso(text)).toBeUndefined();
  });

  it('still reads 1880 onwards', () => {
    expect(hl7DateToIso('18800101')).toBe('1880-01-01');
    expect(hl7TimeToIso('190001010000+0000')).toBe('1900-01-01T00:00:00.000Z');
  });

  it.each([
    ['PID-7 birth date', { birthDate: '00000101' }, 'PID^1^7'],
    ['PV1-44 admit time', { admittedAt: '00990101080000' }, 'PV1^1^44'],
  ])('a message with %s in year 0000/0099 is AE naming the field', (_field, options, location) => {
    const result = interpretAdt(adt({ event: 'A01', mrn: 'MRN-Y0', visit: 'V-Y0', ...options }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatchObject({ ackCode: 'AE', location });
  });
});
