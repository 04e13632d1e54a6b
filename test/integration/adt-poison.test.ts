import { afterAll, describe, expect, it } from 'vitest';
import { adtStore } from '../../shared/store/adt-store';
import { patientStore } from '../../shared/store/patient-store';
import { adt, msa, uniq } from '../fixtures/adt';
import { localDynamo, localStack, sendAdt } from '../support/clients';

/**
 * Poison messages (issue 17 item 1): a message whose key fields the store cannot hold used to
 * answer 503 "resend later" on every resend, so an engine resending in order was stuck behind it
 * forever. Each is now refused for good (AE/AR naming the field, HTTP 200), kept raw, answered the
 * same when resent, and the next message of the same sender goes through.
 */
const dynamo = localDynamo();
afterAll(() => dynamo.destroy());
const adtDb = () => adtStore(dynamo, localStack().tableName);
const patients = () => patientStore(dynamo, localStack().tableName);

/** 4-byte UTF-8 characters (one code point, two UTF-16 units each): few characters, many bytes. */
const wide = (n: number) => '𝔸'.repeat(n);
const otherIds = (n: number) => Array.from({ length: n }, (_, i) => `${uniq('ALT')}-${i}^^^OTHERHOSP^PI`);
const withMsh3 = (message: string, msh3: string) => message.replace(/^MSH\|\^~\\&\|EPIC\|/, `MSH|^~\\&|${msh3}|`);

interface Poison {
  message: string;
  sendingFacility?: string;
  controlId: string;
  code: 'AE' | 'AR';
  /** The ERR-2 location the ACK must name. */
  location: RegExp;
  reason: RegExp;
}

function poison(
  build: (controlId: string) => { message: string; sendingFacility?: string; controlId?: string },
  code: 'AE' | 'AR',
  location: RegExp,
  reason: RegExp,
): Poison {
  const controlId = uniq('POISON');
  return { controlId, ...build(controlId), code, location, reason };
}

const long = (n: number) => 'X'.repeat(n);
const cases: Array<[string, Poison]> = [
  // The probe's shapes (issue 17).
  [
    '100 PID-3 repetitions',
    poison(
      (c) => ({ message: adt({ event: 'A01', controlId: c, mrn: uniq('MRN'), visit: uniq('V'), otherIds: otherIds(99) }) }),
      'AE',
      /^PID\^1\^3$/,
      /PID-3 .*100 .*at most 20/,
    ),
  ],
  [
    'an MSH-10 of 1,000 characters',
    poison(
      () => {
        const controlId = `${uniq('C')}${long(990)}`;
        return { controlId, message: adt({ event: 'A01', controlId, mrn: uniq('MRN'), visit: uniq('V') }) };
      },
      'AR',
      /^MSH\^1\^10$/,
      /MSH-10 .*199 bytes/,
    ),
  ],
  [
    'an MSH-4 of 3,000 characters',
    poison(
      (c) => ({
        message: adt({ event: 'A01', controlId: c, sendingFacility: long(3000), mrn: uniq('MRN'), visit: uniq('V') }),
        sendingFacility: long(3000),
      }),
      'AR',
      /^MSH\^1\^4$/,
      /MSH-4 .*227 bytes/,
    ),
  ],
  [
    'a PID-3 id of 3,000 characters',
    poison(
      (c) => ({ message: adt({ event: 'A01', controlId: c, mrn: long(3000), visit: uniq('V') }) }),
      'AE',
      /^PID\^1\^3\^1\^1$/,
      /PID-3 .*199 bytes/,
    ),
  ],
  [
    'a PID-3 assigning authority of 3,000 characters',
    poison(
      (c) => ({
        message: adt({ event: 'A01', controlId: c, mrn: uniq('MRN'), visit: uniq('V'), otherIds: [`${uniq('ALT')}^^^${long(3000)}^PI`] }),
      }),
      'AE',
      /^PID\^1\^3\^2\^4$/,
      /PID-3 .*227 bytes/,
    ),
  ],
  [
    'a PV1-19 of 3,000 characters',
    poison(
      (c) => ({ message: adt({ event: 'A01', controlId: c, mrn: uniq('MRN'), visit: long(3000) }) }),
      'AE',
      /^PV1\^1\^19$/,
      /PV1-19 .*199 bytes/,
    ),
  ],
  // Others of the same class.
  [
    '21 PID-3 repetitions (one over the limit)',
    poison(
      (c) => ({ message: adt({ event: 'A28', controlId: c, mrn: uniq('MRN'), otherIds: otherIds(20) }) }),
      'AE',
      /^PID\^1\^3$/,
      /PID-3 .*21 .*at most 20/,
    ),
  ],
  [
    'a PID-3 id of 180 four-byte characters (720 bytes)',
    poison((c) => ({ message: adt({ event: 'A28', controlId: c, mrn: wide(180) }) }), 'AE', /^PID\^1\^3\^1\^1$/, /PID-3 .*199 bytes/),
  ],
  [
    'an MSH-10 of 68 characters, 58 of them four-byte (242 bytes)',
    poison(
      () => {
        const controlId = `${uniq('C')}${wide(58)}`;
        return { controlId, message: adt({ event: 'A28', controlId, mrn: uniq('MRN') }) };
      },
      'AR',
      /^MSH\^1\^10$/,
      /MSH-10 .*199 bytes/,
    ),
  ],
  [
    'an MSH-3 of 3,000 characters',
    poison(
      (c) => ({ message: withMsh3(adt({ event: 'A28', controlId: c, mrn: uniq('MRN') }), long(3000)) }),
      'AR',
      /^MSH\^1\^3$/,
      /MSH-3 .*227 bytes/,
    ),
  ],
  [
    'an MRG-1 id of 3,000 characters',
    poison(
      (c) => ({ message: adt({ event: 'A40', controlId: c, mrn: uniq('MRN'), mergedMrn: long(3000) }) }),
      'AE',
      /^MRG\^1\^1\^1\^1$/,
      /MRG-1 .*199 bytes/,
    ),
  ],
  [
    'a PID-18 account number (the visit number) of 3,000 characters',
    poison(
      (c) => ({
        message: adt({ event: 'A01', controlId: c, mrn: uniq('MRN') }).replace(
          /^(PID(?:\|[^|\r]*){7})\|F\r/m,
          `$1|F${'|'.repeat(10)}${long(3000)}\r`,
        ),
      }),
      'AE',
      /^PID\^1\^18$/,
      /PID-18 .*199 bytes/,
    ),
  ],
  [
    'a PV1-3 point of care (the unit) of 3,000 characters',
    poison(
      (c) => ({
        message: adt({ event: 'A01', controlId: c, mrn: uniq('MRN'), visit: uniq('V'), location: `${long(3000)}^401^A^GENHOSP` }),
      }),
      'AE',
      /^PV1\^1\^3\^1\^1$/,
      /PV1-3 .*199 bytes/,
    ),
  ],
  // A refusal that quoted the value kept it twice (raw and note): 2 × 200 KB is over DynamoDB's 400 KB item.
  [
    'a PID-7 birth date of 200 KB',
    poison(
      (c) => ({ message: adt({ event: 'A28', controlId: c, mrn: uniq('MRN'), birthDate: long(200_000) }) }),
      'AE',
      /^PID\^1\^7$/,
      /PID-7 birth date "X{40}…" is not a date/,
    ),
  ],
];

const errLocation = (ack: string) =>
  ack
    .split('\r')
    .find((line) => line.startsWith('ERR|'))
    ?.split('|')[2] ?? '';

describe('ADT poison messages: refused for good, kept, and the feed moves on', () => {
  it.each(cases)('%s: never 503, stored raw, the resend answered the same, the next message AA', async (_name, p) => {
    const first = await sendAdt(p.message);
    expect(first.status, first.ack.slice(0, 400)).toBe(200);
    expect(msa(first.ack)).toMatchObject({ code: p.code, text: expect.stringMatching(p.reason) });
    expect(errLocation(first.ack)).toMatch(p.location);

    const stored = await adtDb().get({ facilityId: 'F1', sendingFacility: p.sendingFacility ?? 'GENHOSP', controlId: p.controlId });
    expect(stored).toMatchObject({ status: 'rejected', ackCode: p.code });
    expect(stored?.raw).toBe(p.message);

    const again = await sendAdt(p.message);
    expect(again.status).toBe(200);
    expect(msa(again.ack).code).toBe(p.code);
    expect(errLocation(again.ack)).toMatch(p.location);

    // The engine resending in order moves on: the next message of the same sender is applied.
    const mrn = uniq('MRN');
    const next = await sendAdt(adt({ event: 'A28', mrn }));
    expect(next.status).toBe(200);
    expect(msa(next.ack).code).toBe('AA');
  });

  it('a merge DynamoDB cannot write in one transaction (over 100 items) is AE, stored, answered the same again; never 503', async () => {
    // Identifiers add up over messages (each within the bounds): a patient with 100 of them.
    const [mergedMrn, survivorMrn] = [uniq('MRN'), uniq('MRN')];
    for (let batch = 0; batch < 5; batch++) {
      const response = await sendAdt(
        adt({
          event: batch === 0 ? 'A28' : 'A31',
          mrn: mergedMrn,
          otherIds: otherIds(19),
          at: `2026112008${String(batch).padStart(2, '0')}`,
        }),
      );
      expect(msa(response.ack).code, response.ack.slice(0, 300)).toBe('AA');
    }
    expect(
      (await patients().findByIdentifiers('F1', [{ system: 'urn:hl7v2:authority:GENHOSP', value: mergedMrn }]))?.identifiers.length,
    ).toBeGreaterThanOrEqual(96);
    await sendAdt(adt({ event: 'A28', mrn: survivorMrn }));
    const controlId = uniq('MERGE');
    const merge = adt({ event: 'A40', controlId, mrn: survivorMrn, mergedMrn, at: '202611201200' });
    const first = await sendAdt(merge);
    expect(first.status).toBe(200);
    expect(msa(first.ack)).toMatchObject({ code: 'AE', text: expect.stringMatching(/cannot store/) });
    expect(await adtDb().get({ facilityId: 'F1', sendingFacility: 'GENHOSP', controlId })).toMatchObject({
      status: 'rejected',
      ackCode: 'AE',
      raw: merge,
    });
    const again = await sendAdt(merge);
    expect(again.status).toBe(200);
    expect(msa(again.ack).code).toBe('AE');
    expect(msa((await sendAdt(adt({ event: 'A28', mrn: uniq('MRN') }))).ack).code).toBe('AA');
  });

  it('at the limits: 20 PID-3 repetitions, ids of 199 bytes or less (MSH-10, PID-3, PV1-19) are accepted', async () => {
    const mrn = `${uniq('MRN')}-${'€'.repeat(60)}`; // 12 + 1 + 180 bytes
    expect(Buffer.byteLength(mrn)).toBeLessThanOrEqual(199);
    const controlId = `${uniq('MSG')}${'9'.repeat(199 - 12)}`;
    expect(Buffer.byteLength(controlId)).toBe(199);
    const visit = `${uniq('V')}${'7'.repeat(199 - 10)}`;
    expect(Buffer.byteLength(visit)).toBe(199);
    const response = await sendAdt(adt({ event: 'A01', controlId, mrn, visit, otherIds: otherIds(19), patientClass: 'O' }));
    expect(response.status).toBe(200);
    expect(msa(response.ack), response.ack.slice(0, 300)).toMatchObject({ code: 'AA', controlId });
    const patient = await patients().findByIdentifiers('F1', [{ system: 'urn:hl7v2:authority:GENHOSP', value: mrn }]);
    expect(patient?.identifiers).toHaveLength(20);
    expect(await adtDb().findEncounterIdByVisit('F1', visit)).toBeDefined();
  });
});
