/**
 * Text a clinical record may hold. A NUL ends the string in many readers (a printed discharge
 * summary, an interface engine); a bidirectional override or isolate (U+202A–U+202E,
 * U+2066–U+2069) makes a name or dose display in an order other than the one stored, the
 * "Trojan Source" trick; a lone surrogate is not text at all and cannot be written as UTF-8.
 * Anything else is kept, composed to NFC so that one name has one spelling in keys and searches.
 */
const NUL = /\u0000/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const encoder = new TextEncoder();
/** Bytes of the text in UTF-8, as DynamoDB counts key sizes (characters outside ASCII take 2–4). */
export const utf8Bytes = (text: string): number => encoder.encode(text).length;

export interface TextIssue {
  field: string;
  reason: string;
}

export function textProblem(text: string): string | undefined {
  if (NUL.test(text)) return 'contains a NUL character (U+0000)';
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) return `contains a bidirectional control character (U+${bidi[0].charCodeAt(0).toString(16).toUpperCase()})`;
  if (LONE_SURROGATE.test(text)) return 'contains a lone surrogate (not Unicode text)';
  return undefined;
}

/** Every string in a parsed JSON body checked and composed to NFC; the issues name each field as zod paths do. */
export function cleanJsonText(value: unknown, issues: TextIssue[] = [], path: string[] = []): { value: unknown; issues: TextIssue[] } {
  const field = () => path.join('.') || 'body';
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) issues.push({ field: field(), reason: problem });
    return { value: problem ? value : value.normalize('NFC'), issues };
  }
  if (Array.isArray(value)) return { value: value.map((item, i) => cleanJsonText(item, issues, [...path, String(i)]).value), issues };
  if (value !== null && typeof value === 'object') {
    // fromEntries defines properties, so a "__proto__" key stays a plain (unknown, refused) field.
    const cleaned = Object.entries(value).map(([key, item]) => {
      const keyProblem = textProblem(key);
      if (keyProblem) issues.push({ field: [...path, key].join('.'), reason: `has a name that ${keyProblem}` });
      return [key, cleanJsonText(item, issues, [...path, key]).value] as const;
    });
    return { value: Object.fromEntries(cleaned), issues };
  }
  return { value, issues };
}
