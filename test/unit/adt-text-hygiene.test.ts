import { describe, expect, it } from 'vitest';
import { interpretAdt } from '../../shared/domain/adt/adt-message';

/** A synthetic admission with a chosen family name (PID-5.1), attending (PV1-7) and control id. */
function admission(o: { family?: string; attending?: string; controlId?: string } = {}) {
  return [
    `MSH|^~\\&|EPIC|SOUTHHOSP|CAREPATH|F1|20261102083000+0000||ADT^A01^ADT_A01|${o.controlId ?? 'MSG-9031'}|P|2.5.1`,
    'EVN|A01|20261102083000+0000',
    `PID|1||MRN-3310^^^SOUTHHOSP^MR||${o.family ?? 'Okafor'}^Adaeze||19580917|F`,
    `PV1|1|I|5W^512^A||||${o.attending ?? '4471^Lindqvist^Maren'}|||MED|||||||||VN-8802`,
  ].join('\r');
}

function problemOf(text: string) {
  const result = interpretAdt(text);
  return result.ok ? undefined : result.problem;
}

describe('ADT text a clinical record may not hold (issue 17 item 5)', () => {
  it.each([
    ['a NUL', 'Oka\u0000for', 'NUL'],
    ['a NUL written as an HL7 hex escape', 'Oka\\X00\\for', 'NUL'],
    ['a right-to-left override', '\u202Erofako', 'U+202E'],
    ['a first-strong isolate', 'Oka\u2068for', 'U+2068'],
    ['a lone surrogate', 'Oka\uD83Dfor', 'lone surrogate'],
  ])('refuses %s in a name with AE naming PID-5', (_, family, reason) => {
    expect(problemOf(admission({ family }))).toMatchObject({
      ackCode: 'AE',
      hl7ErrorCode: '102',
      location: 'PID^1^5',
      reason: expect.stringContaining(reason),
    });
  });

  it('refuses one in another segment (the attending, PV1-7), and in the header with AR', () => {
    expect(problemOf(admission({ attending: '4471^Lind\u202Dqvist^Maren' }))).toMatchObject({ ackCode: 'AE', location: 'PV1^1^7' });
    expect(problemOf(admission({ controlId: 'MSG\u00009031' }))).toMatchObject({ ackCode: 'AR', location: 'MSH^1^10' });
  });

  it('keeps other scripts, emoji and accents, composed to NFC', () => {
    const decomposed = 'Mu\u0308ller'; // u + combining diaeresis
    const result = interpretAdt(admission({ family: decomposed, attending: '4471^\u674E^\u5A1C' }));
    if (!result.ok) throw new Error(result.problem.reason);
    expect(result.message.patient?.name?.family).toBe('M\u00fcller');
    expect(result.message.visit?.attending).toMatchObject({ family: '\u674E', given: '\u5A1C' });
    expect(interpretAdt(admission({ family: 'O\u2019Brien\u{1F600}' })).ok).toBe(true);
  });
});
