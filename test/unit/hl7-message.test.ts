import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENCODING, escapeHl7, parseHl7, rawField, repetitions, segment, unescapeHl7, value } from '../../shared/domain/hl7/message';

const A01 = [
  'MSH|^~\\&|EPIC|GENHOSP|CAREPATH|F1|20261120080500||ADT^A01^ADT_A01|MSG00001|P|2.5.1',
  'EVN|A01|20261120080000',
  'PID|1||MRN-1^^^GENHOSP^MR~999-99-9999^^^SSA^SS||Doe^Jane^Q||19500203|F|||1 Main St^^Springfield',
  'PV1|1|I|4W^401^A^GENHOSP||||1234^Welby^Marcus|||MED||||7|||||V-1001',
].join('\r');

function parsed(text: string) {
  const result = parseHl7(text);
  if (!result.ok) throw new Error(result.reason);
  return result.message;
}

describe('parseHl7', () => {
  it('reads MSH with the off-by-one of MSH-1/MSH-2', () => {
    const message = parsed(A01);
    const msh = segment(message, 'MSH');
    expect(rawField(msh, 1)).toBe('|');
    expect(rawField(msh, 2)).toBe('^~\\&');
    expect(value(message, msh, 4)).toBe('GENHOSP');
    expect(value(message, msh, 9, 2)).toBe('A01');
    expect(value(message, msh, 10)).toBe('MSG00001');
    expect(value(message, msh, 12)).toBe('2.5.1');
  });

  it('reads repetitions and components', () => {
    const message = parsed(A01);
    const pid = segment(message, 'PID');
    expect(repetitions(message, pid, 3)).toEqual([
      ['MRN-1', '', '', 'GENHOSP', 'MR'],
      ['999-99-9999', '', '', 'SSA', 'SS'],
    ]);
    expect(value(message, pid, 5, 2)).toBe('Jane');
    expect(value(message, segment(message, 'PV1'), 19)).toBe('V-1001');
  });

  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('accepts %s segment ends, and MLLP framing', (_name, end) => {
    const message = parsed(`\u000b${A01.split('\r').join(end)}${end}\u001c\r`);
    expect(message.segments.map((s) => s.name)).toEqual(['MSH', 'EVN', 'PID', 'PV1']);
  });

  it('decodes escape sequences in values', () => {
    const message = parsed(
      'MSH|^~\\&|A|B|C|D|20261120||ADT^A08|1|P|2.5\rNTE|1||Pipe \\F\\ caret \\S\\ amp \\T\\ tilde \\R\\ back \\E\\\\.br\\Ren\\XC3A9\\e \\H\\bold\\N\\',
    );
    expect(value(message, segment(message, 'NTE'), 3)).toBe('Pipe | caret ^ amp & tilde ~ back \\\nRenée bold');
  });

  it.each([
    ['empty', ''],
    ['no MSH', 'PID|1||MRN-1'],
    ['garbage', '\u0000\u0001binary'],
    ['MSH without delimiters', 'MSH'],
    ['duplicate delimiters', 'MSH|^^^^|A'],
    ['a line that is no segment', 'MSH|^~\\&|A|B\rthis is not hl7'],
  ])('refuses %s with a reason instead of throwing', (_name, text) => {
    const result = parseHl7(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toEqual(expect.any(String));
  });

  it('never throws, whatever it is given (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.constantFrom(A01).chain((a) => fc.nat(a.length).map((n) => `${a.slice(0, n)}\\X${a.slice(n)}`)),
        ),
        (text) => {
          const result = parseHl7(text);
          if (result.ok) {
            for (const seg of result.message.segments) {
              for (let n = 0; n < seg.fields.length + 2; n++) repetitions(result.message, seg, n);
            }
          }
          return true;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('round-trips escape and unescape for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const clean = text.replace(/\r/g, '');
        expect(unescapeHl7(escapeHl7(clean, DEFAULT_ENCODING), DEFAULT_ENCODING)).toBe(clean);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an escaped delimiter inside one component (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const va = a.replace(/[\r\n]/g, ' ');
        const vb = b.replace(/[\r\n]/g, ' ');
        const text = `MSH|^~\\&|A|B|C|D|20261120||ADT^A08|1|P|2.5\rNTE|1||${escapeHl7(va, DEFAULT_ENCODING)}^${escapeHl7(vb, DEFAULT_ENCODING)}`;
        const message = parsed(text);
        const nte = segment(message, 'NTE');
        expect([value(message, nte, 3, 1), value(message, nte, 3, 2)]).toEqual([va, vb]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('interpretAdt', () => {
  it('never throws: any input is a message or a problem with an AR or AE code (property)', async () => {
    const { interpretAdt } = await import('../../shared/domain/adt/adt-message');
    const valid =
      'MSH|^~\\&|EPIC|GENHOSP|CAREPATH|F1|202611200800||ADT^A01^ADT_A01|MSG1|P|2.5.1\rEVN|A01|202611200800\rPID|1||MRN-1^^^GENHOSP^MR||Doe^Jane||19500203|F\rPV1|1|I|4W^401^A||E|||||||||||||V-1';
    const mutated = fc
      .tuple(fc.nat(valid.length), fc.nat(20), fc.string())
      .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mutated, fc.anything()), (input) => {
        const result = interpretAdt(input);
        if (!result.ok) expect(['AR', 'AE']).toContain(result.problem.ackCode);
      }),
      { numRuns: 3000 },
    );
  });
});
