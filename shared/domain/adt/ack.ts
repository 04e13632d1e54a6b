import { DEFAULT_ENCODING, escapeHl7, type Encoding } from '../hl7/message';
import type { AdtHeader } from './adt-message';
import { isoToHl7Time } from './hl7-time';

export type AckCode = 'AA' | 'AE' | 'AR';

export interface AckInput {
  /** What could be read of the incoming MSH; an unreadable message has none. */
  incoming?: Partial<AdtHeader>;
  encoding?: Encoding;
  code: AckCode;
  /** MSA-3 / ERR text: why, or a note for an accepted message. */
  text?: string;
  errorCode?: string;
  errorLocation?: string;
  ackControlId: string;
  now: Date;
}

/**
 * An HL7 ACK: MSH with sender and receiver swapped, MSA with the code and the incoming MSH-10,
 * and ERR when not AA. ERR uses the 2.5+ layout (ERR-2 location, ERR-3 code, ERR-4 severity);
 * 2.3/2.4 receivers read ERR-1 and MSA-3, which carry the same reason.
 */
export function buildAck(input: AckInput): string {
  const enc = input.encoding ?? DEFAULT_ENCODING;
  const esc = (text: string) => escapeHl7(text, enc);
  const h = input.incoming ?? {};
  const encodingChars = `${enc.component}${enc.repetition}${enc.escape}${enc.subcomponent}`;
  const f = enc.field;
  const c = enc.component;
  const version = h.version || '2.5.1';
  const msh = [
    'MSH',
    encodingChars,
    esc(h.receivingApplication || 'CAREPATH'),
    esc(h.receivingFacility ?? ''),
    esc(h.sendingApplication ?? ''),
    esc(h.sendingFacility ?? ''),
    isoToHl7Time(input.now.toISOString()),
    '',
    `ACK${c}${esc(h.triggerEvent ?? '')}${c}ACK`,
    esc(input.ackControlId),
    esc(h.processingId || 'P'),
    esc(version),
  ].join(f);
  const text = input.text ? esc(input.text) : '';
  const segments = [msh, ['MSA', input.code, esc(h.controlId ?? ''), text].join(f)];
  if (input.code !== 'AA') {
    const code = input.errorCode ?? '207';
    const parts = (input.errorLocation ?? '').split('^').map(esc);
    const location = parts.join(c);
    const legacy = version.startsWith('2.3') || version.startsWith('2.4');
    // 2.3/2.4 ERR-1 (ELD): segment^sequence^field^code&text&table — the code is component 4.
    const eld = [parts[0] ?? '', parts[1] ?? '', parts[2] ?? '', `${code}${enc.subcomponent}${text}${enc.subcomponent}HL70357`].join(c);
    segments.push(legacy ? ['ERR', eld].join(f) : ['ERR', '', location, `${code}${c}${text}${c}HL70357`, 'E', '', '', '', text].join(f));
  }
  return `${segments.join('\r')}\r`;
}
