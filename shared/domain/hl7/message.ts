/**
 * A small HL7 v2 (ER7) reader. It never throws: anything that is not a message comes back as a
 * problem the caller turns into an ACK. Fields are kept raw and decoded on access, so a
 * component delimiter inside an escaped value is never split.
 */
export interface Encoding {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export interface Segment {
  name: string;
  /** Raw field values by HL7 field number (index 0 is the segment name). */
  fields: string[];
}

export interface Hl7Message {
  encoding: Encoding;
  segments: Segment[];
}

export type ParseResult = { ok: true; message: Hl7Message } | { ok: false; reason: string };

// MLLP framing (VT … FS CR) that some senders leave on the payload.
const MLLP = /[\u000b\u001c]/g;

export function parseHl7(text: unknown): ParseResult {
  if (typeof text !== 'string') return { ok: false, reason: 'The body is not text' };
  const lines = text
    .replace(MLLP, '')
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '');
  const first = lines[0];
  if (!first?.startsWith('MSH') || first.length < 8) return { ok: false, reason: 'The message does not start with an MSH segment' };
  const field = first[3]!;
  // MSH-2: component, repetition, escape, subcomponent (and, from 2.7, a truncation character).
  const chars = first.slice(4).split(field)[0] ?? '';
  if (chars.length < 3) return { ok: false, reason: 'MSH-2 must hold at least three encoding characters' };
  const encoding: Encoding = {
    field,
    component: chars[0]!,
    repetition: chars[1]!,
    escape: chars[2]!,
    subcomponent: chars[3] ?? '',
  };
  const delimiters = [encoding.field, encoding.component, encoding.repetition, encoding.escape];
  if (new Set(delimiters).size !== delimiters.length || /[A-Za-z0-9\s]/.test(delimiters.join(''))) {
    return { ok: false, reason: 'MSH-1/MSH-2 do not define distinct delimiters' };
  }
  const segments: Segment[] = [];
  for (const line of lines) {
    const name = line.slice(0, 3);
    if (!/^[A-Z][A-Z0-9]{2}$/.test(name) || (line.length > 3 && line[3] !== field)) {
      return { ok: false, reason: `"${name.replace(/[^\x20-\x7e]/g, '?')}" is not a segment` };
    }
    const parts = line.split(field);
    // MSH-1 is the field separator itself, so MSH's n-th field is parts[n - 1].
    segments.push({ name, fields: name === 'MSH' ? ['MSH', field, ...parts.slice(1)] : parts });
  }
  return { ok: true, message: { encoding, segments } };
}

export function segment(message: Hl7Message, name: string): Segment | undefined {
  return message.segments.find((s) => s.name === name);
}

export function segmentsNamed(message: Hl7Message, name: string): Segment[] {
  return message.segments.filter((s) => s.name === name);
}

/** Raw field `n` of a segment ('' when absent). */
export function rawField(seg: Segment | undefined, n: number): string {
  return seg?.fields[n] ?? '';
}

/** The repetitions of a field, each split into components, each component decoded. */
export function repetitions(message: Hl7Message, seg: Segment | undefined, n: number): string[][] {
  const raw = rawField(seg, n);
  if (raw === '') return [];
  if (seg?.name === 'MSH' && n <= 2) return [[raw]];
  const { repetition, component } = message.encoding;
  return raw.split(repetition).map((rep) => rep.split(component).map((c) => unescapeHl7(firstSub(c, message.encoding), message.encoding)));
}

/** Component `c` (1-based) of repetition `r` (0-based) of field `n`, decoded; '' when absent. */
export function value(message: Hl7Message, seg: Segment | undefined, n: number, c = 1, r = 0): string {
  return repetitions(message, seg, n)[r]?.[c - 1] ?? '';
}

function firstSub(component: string, encoding: Encoding): string {
  return encoding.subcomponent ? (component.split(encoding.subcomponent)[0] ?? '') : component;
}

/** Decodes \F\ \S\ \T\ \R\ \E\ \Xhh..\ \.br\; formatting escapes (\H\, \N\, …) are dropped. */
export function unescapeHl7(text: string, encoding: Encoding): string {
  const e = encoding.escape;
  if (!e || !text.includes(e)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch !== e) {
      out += ch;
      i += 1;
      continue;
    }
    const end = text.indexOf(e, i + 1);
    if (end < 0) {
      out += text.slice(i);
      break;
    }
    const code = text.slice(i + 1, end);
    out += decodeEscape(code, encoding) ?? `${e}${code}${e}`;
    i = end + 1;
  }
  return out;
}

function decodeEscape(code: string, encoding: Encoding): string | undefined {
  switch (code) {
    case 'F':
      return encoding.field;
    case 'S':
      return encoding.component;
    case 'T':
      return encoding.subcomponent;
    case 'R':
      return encoding.repetition;
    case 'E':
      return encoding.escape;
    case '.br':
      return '\n';
    case 'H':
    case 'N':
      return '';
  }
  if (/^X([0-9A-Fa-f]{2})+$/.test(code)) return Buffer.from(code.slice(1), 'hex').toString('utf8');
  return undefined;
}

/** The inverse of unescapeHl7 for text Carepath writes (e.g. ERR and MSA reasons). */
export function escapeHl7(text: string, encoding: Encoding): string {
  const e = encoding.escape;
  const map: Array<[string, string]> = [
    [e, `${e}E${e}`],
    [encoding.field, `${e}F${e}`],
    [encoding.component, `${e}S${e}`],
    [encoding.repetition, `${e}R${e}`],
  ];
  if (encoding.subcomponent) map.push([encoding.subcomponent, `${e}T${e}`]);
  let out = '';
  for (const ch of text) {
    if (ch === '\n') {
      out += `${e}.br${e}`;
      continue;
    }
    if (ch === '\r') continue;
    out += map.find(([c]) => c === ch)?.[1] ?? ch;
  }
  return out;
}

export const DEFAULT_ENCODING: Encoding = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };
