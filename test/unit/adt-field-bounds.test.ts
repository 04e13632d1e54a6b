import { describe, expect, it } from 'vitest';
import { interpretAdt } from '../../shared/domain/adt/adt-message';
import { ADT_FIELD_LIMITS, quoted } from '../../shared/domain/adt/field-bounds';
import { utf8Bytes } from '../../shared/domain/text-hygiene';
import { isPermanentStoreFailure } from '../../shared/store/dynamo';

/** A synthetic message built field by field, so each test changes one thing. */
function message(
  o: {
    msh3?: string;
    msh4?: string;
    msh6?: string;
    controlId?: string;
    event?: string;
    pid3?: string;
    pid7?: string;
    pid18?: string;
    pv1_3?: string;
    pv1_19?: string;
    mrg1?: string;
  } = {},
) {
  const pid = [
    'PID',
    '1',
    '',
    o.pid3 ?? 'MRN-77^^^NORTHHOSP^MR',
    '',
    'Example^Pat',
    '',
    o.pid7 ?? '19610412',
    'M',
    ...new Array(9).fill(''),
    o.pid18 ?? '',
  ];
  const pv1 = new Array(20).fill('');
  pv1[0] = 'PV1';
  pv1[2] = 'I';
  pv1[3] = o.pv1_3 ?? '3N^301^B';
  pv1[19] = o.pv1_19 ?? 'VN-5521';
  const event = o.event ?? 'A01';
  return [
    `MSH|^~\\&|${o.msh3 ?? 'CERNER'}|${o.msh4 ?? 'NORTHHOSP'}|CAREPATH|${o.msh6 ?? 'F1'}|20261001120000+0000||ADT^${event}^ADT_A01|${o.controlId ?? 'CTL-4411'}|P|2.5.1`,
    `EVN|${event}|20261001120000+0000`,
    pid.join('|'),
    pv1.join('|'),
    ...(o.mrg1 ? [`MRG|${o.mrg1}`] : []),
  ].join('\r');
}

function refused(text: string) {
  const result = interpretAdt(text);
  if (result.ok) throw new Error('expected a refusal');
  return result.problem;
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `ID${i}^^^NORTHHOSP^PI`).join('~');

describe('ADT field bounds (issue 17 item 1): what becomes a key is bounded in UTF-8 bytes', () => {
  it('counts bytes, not characters', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('ü')).toBe(2);
    expect(utf8Bytes('漢')).toBe(3);
    expect(utf8Bytes('🜁')).toBe(4);
  });

  it('accepts 20 PID-3 identifiers and refuses 21 (AE naming PID-3); empty repetitions do not count', () => {
    expect(interpretAdt(message({ pid3: ids(20) })).ok).toBe(true);
    expect(interpretAdt(message({ pid3: `${ids(20)}~~~` })).ok).toBe(true);
    expect(refused(message({ pid3: ids(21) }))).toMatchObject({
      ackCode: 'AE',
      location: 'PID^1^3',
      reason: 'PID-3 has 21 identifiers; at most 20 are accepted',
    });
  });

  it('refuses an MRG-1 list over 20 the same way', () => {
    expect(refused(message({ event: 'A40', mrg1: ids(25) }))).toMatchObject({ ackCode: 'AE', location: 'MRG^1^1' });
    expect(interpretAdt(message({ event: 'A40', mrg1: ids(3) })).ok).toBe(true);
  });

  it('a PID-3 id of 199 bytes is accepted, 200 is not; multi-byte characters count by bytes', () => {
    expect(interpretAdt(message({ pid3: `${'7'.repeat(199)}^^^NORTHHOSP^MR` })).ok).toBe(true);
    expect(refused(message({ pid3: `${'7'.repeat(200)}^^^NORTHHOSP^MR` }))).toMatchObject({
      ackCode: 'AE',
      hl7ErrorCode: '102',
      location: 'PID^1^3^1^1',
    });
    // 67 characters, 201 bytes: within a character limit, over the byte limit.
    const cjk = '漢'.repeat(67);
    expect(cjk.length).toBeLessThan(ADT_FIELD_LIMITS.idBytes);
    expect(refused(message({ pid3: `MRN-1^^^NORTHHOSP^MR~${cjk}^^^NORTHHOSP^MR` }))).toMatchObject({
      location: 'PID^1^3^2^1',
      reason: expect.stringMatching(/repetition 2 .* 201 bytes; at most 199/),
    });
  });

  it('bounds the assigning authority (CX.4) at 227 bytes', () => {
    expect(interpretAdt(message({ pid3: `MRN-1^^^${'H'.repeat(227)}^MR` })).ok).toBe(true);
    expect(refused(message({ pid3: `MRN-1^^^${'H'.repeat(228)}^MR` }))).toMatchObject({ ackCode: 'AE', location: 'PID^1^3^1^4' });
  });

  it('refuses MSH-3 to MSH-6 over 227 bytes and MSH-10 over 199 bytes with AR (the envelope)', () => {
    expect(refused(message({ msh3: 'A'.repeat(228) }))).toMatchObject({ ackCode: 'AR', location: 'MSH^1^3' });
    expect(refused(message({ msh4: `${'B'.repeat(200)}^${'1.2.3'.repeat(10)}^ISO` }))).toMatchObject({
      ackCode: 'AR',
      location: 'MSH^1^4',
    });
    expect(refused(message({ msh6: 'ü'.repeat(114) }))).toMatchObject({ ackCode: 'AR', location: 'MSH^1^6' });
    expect(interpretAdt(message({ controlId: 'C'.repeat(199) })).ok).toBe(true);
    expect(refused(message({ controlId: 'C'.repeat(200) }))).toMatchObject({
      ackCode: 'AR',
      location: 'MSH^1^10',
      reason: 'MSH-10 (message control id) is 200 bytes; at most 199 bytes (UTF-8) are accepted',
    });
    // Escapes are decoded first: \X..\ hex of 3 bytes is 3 bytes, not 9 characters.
    expect(interpretAdt(message({ controlId: `${'C'.repeat(196)}\\XE282AC\\` })).ok).toBe(true);
  });

  it('bounds the visit number (PV1-19, else PID-18) and the unit (PV1-3.1)', () => {
    expect(refused(message({ pv1_19: 'V'.repeat(200) }))).toMatchObject({ ackCode: 'AE', location: 'PV1^1^19' });
    expect(refused(message({ pv1_19: '', pid18: 'A'.repeat(300) }))).toMatchObject({ ackCode: 'AE', location: 'PID^1^18' });
    expect(interpretAdt(message({ pv1_19: 'VN-1', pid18: 'A'.repeat(300) })).ok).toBe(true);
    expect(refused(message({ pv1_3: `${'W'.repeat(200)}^301^B` }))).toMatchObject({ ackCode: 'AE', location: 'PV1^1^3^1^1' });
  });

  it('quotes a refused value cut short, never the whole of it', () => {
    expect(quoted('2.2')).toBe('"2.2"');
    expect(quoted('x'.repeat(5000))).toBe(`"${'x'.repeat(40)}…"`);
    // Cut by code point: never half a surrogate pair.
    expect(quoted('🜁'.repeat(50))).toBe(`"${'🜁'.repeat(40)}…"`);
    expect(refused(message({ pid7: '9'.repeat(100_000) })).reason.length).toBeLessThan(100);
    expect(refused(message({ event: 'Q'.repeat(100_000) })).reason.length).toBeLessThan(100);
  });
});

describe('isPermanentStoreFailure: what a resend cannot fix is not "resend later"', () => {
  const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });
  it.each([
    ['a key over its size limit (ValidationException)', named('ValidationException'), true],
    [
      'an item too large inside a transaction',
      named('TransactionCanceledException', { CancellationReasons: [{ Code: 'None' }, { Code: 'ValidationError' }] }),
      true,
    ],
    ['throttling', named('ProvisionedThroughputExceededException'), false],
    ['a transaction conflict', named('TransactionCanceledException', { CancellationReasons: [{ Code: 'TransactionConflict' }] }), false],
    [
      'a throttled transaction item with a validation error elsewhere',
      named('TransactionCanceledException', { CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'ValidationError' }] }),
      false,
    ],
    ['a condition that failed', named('ConditionalCheckFailedException'), false],
    ['a 500 from DynamoDB', named('InternalServerError', { $metadata: { httpStatusCode: 500 } }), false],
    ['a timeout', named('TimeoutError'), false],
  ])('%s → %s', (_name, error, permanent) => {
    expect(isPermanentStoreFailure(error)).toBe(permanent);
  });
});
