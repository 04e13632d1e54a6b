import { describe, expect, it } from 'vitest';
import { cleanJsonText, textProblem } from '../../shared/domain/text-hygiene';

describe('textProblem', () => {
  it.each([
    ['Nguyễn', undefined],
    ['O\u2019Brien-Søndergaard', undefined],
    ['محمد', undefined],
    ['José 👩‍⚕️ 𝔸', undefined],
    ['line one\nline two\ttab', undefined],
    ['Ann\u0000e', 'contains a NUL character (U+0000)'],
    ['\u202Bdose 5 mg', 'contains a bidirectional control character (U+202B)'],
    ['gm 01\u202Egm', 'contains a bidirectional control character (U+202E)'],
    ['Kim\u2067x\u2069', 'contains a bidirectional control character (U+2067)'],
    ['\u202A', 'contains a bidirectional control character (U+202A)'],
    ['warfarin\uD83D', 'contains a lone surrogate (not Unicode text)'],
    ['\uDE00 low first', 'contains a lone surrogate (not Unicode text)'],
  ])('%j → %s', (text, problem) => {
    expect(textProblem(text)).toBe(problem);
  });

  it('lets the marks a right-to-left language uses stay (LRM, RLM, ALM are not overrides)', () => {
    expect(textProblem('שלום\u200F 12 mg\u200E\u061C')).toBeUndefined();
  });
});

describe('cleanJsonText', () => {
  it('composes every string to NFC, at any depth, and leaves other values alone', () => {
    const decomposed = 'Zoe\u0308 Mu\u0308ller';
    const { value, issues } = cleanJsonText({ name: { family: decomposed, given: [decomposed] }, age: 3, flag: true, none: null });
    expect(issues).toEqual([]);
    expect(value).toEqual({ name: { family: 'Zoë Müller', given: ['Zoë Müller'] }, age: 3, flag: true, none: null });
    expect((value as { name: { family: string } }).name.family).toHaveLength(10);
  });

  it('names each field that holds refused text, as zod paths', () => {
    const { issues } = cleanJsonText({ patient: { name: { given: ['ok', 'b\u202Ead'] } }, note: 'x\u0000', items: [{ reason: '\uDBFF' }] });
    expect(issues).toEqual([
      { field: 'patient.name.given.1', reason: 'contains a bidirectional control character (U+202E)' },
      { field: 'note', reason: 'contains a NUL character (U+0000)' },
      { field: 'items.0.reason', reason: 'contains a lone surrogate (not Unicode text)' },
    ]);
  });

  it('refuses a field name with such characters and a body that is itself a bad string', () => {
    expect(cleanJsonText({ 'no\u2066te': 'x' }).issues).toEqual([
      { field: 'no\u2066te', reason: 'has a name that contains a bidirectional control character (U+2066)' },
    ]);
    expect(cleanJsonText('\u0000').issues).toEqual([{ field: 'body', reason: 'contains a NUL character (U+0000)' }]);
  });

  it('keeps a "__proto__" key as data, not as the prototype', () => {
    const { value } = cleanJsonText(JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__']);
  });
});
