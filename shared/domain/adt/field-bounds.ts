import { rawField, repetitions, type Hl7Message, type Segment } from '../hl7/message';
import { utf8Bytes } from '../text-hygiene';
import type { AdtProblem } from './adt-message';

/**
 * Bounds on the HL7 fields that become DynamoDB keys or index values (issue 17 item 1). A field
 * the store cannot hold (a key over 2,048/1,024 bytes, a transaction over 100 items) made every
 * resend fail the same way: the feed stuck behind one message. Such a message is refused for good
 * (AR for the envelope, AE for the content), naming the field, before anything is keyed on it.
 *
 * Limits are UTF-8 bytes of the decoded value, because DynamoDB counts bytes; HL7 counts
 * characters, so a limit in bytes is never looser than the same number in characters. Sources
 * (docs/security.md, "Poison ADT messages"): HL7 v2.5 gives the HD type 227 characters and the
 * ST identifiers here (CX.1, MSH-10, PL.1) 15 to 20; v2.7+ raise ST ids to 199. Senders often
 * exceed the v2.5 id lengths, so ids get 199 bytes. Every key built from them (URI-encoded, up to
 * 3 bytes per byte) stays under DynamoDB's 1,024-byte sort and 2,048-byte partition key limits.
 */
export const ADT_FIELD_LIMITS = {
  /** HD fields: MSH-3 to MSH-6 (raw, all components), CX.4 assigning authority namespace. */
  hdBytes: 227,
  /** One id: MSH-10, CX.1 of PID-3 and MRG-1, PV1-19 / PID-18 (the visit number), PV1-3.1 (the unit). */
  idBytes: 199,
  /**
   * Identifiers in PID-3 or MRG-1. HL7 sets no maximum. Each becomes one item of the patient's
   * registration transaction (DynamoDB allows 100) and a merge claims both lists in one.
   */
  identifiers: 20,
} as const;

/** A value quoted in a reason, cut short: a refusal must not carry (or store) the value twice. */
export function quoted(value: string, maxCharacters = 40): string {
  const characters = Array.from(value);
  return characters.length > maxCharacters ? `"${characters.slice(0, maxCharacters).join('')}…"` : `"${value}"`;
}

const tooLong = (ackCode: 'AR' | 'AE', field: string, location: string, bytes: number, max: number): AdtProblem => ({
  ackCode,
  hl7ErrorCode: '102',
  location,
  reason: `${field} is ${bytes} bytes; at most ${max} bytes (UTF-8) are accepted`,
});

/** MSH-3 to MSH-6 (HD) and MSH-10: the sender and control id key the message store (AR: the envelope). */
export function headerBoundsProblem(msh: Segment | undefined, controlId: string): AdtProblem | undefined {
  const names: Record<number, string> = {
    3: 'sending application',
    4: 'sending facility',
    5: 'receiving application',
    6: 'receiving facility',
  };
  for (const n of [3, 4, 5, 6]) {
    const bytes = utf8Bytes(rawField(msh, n));
    if (bytes > ADT_FIELD_LIMITS.hdBytes) return tooLong('AR', `MSH-${n} (${names[n]})`, `MSH^1^${n}`, bytes, ADT_FIELD_LIMITS.hdBytes);
  }
  const bytes = utf8Bytes(controlId);
  if (bytes > ADT_FIELD_LIMITS.idBytes) return tooLong('AR', 'MSH-10 (message control id)', 'MSH^1^10', bytes, ADT_FIELD_LIMITS.idBytes);
  return undefined;
}

/** PID-3 or MRG-1: how many identifiers, and each one's id (CX.1) and assigning authority (CX.4). */
export function identifierListProblem(hl7: Hl7Message, seg: Segment | undefined, n: number): AdtProblem | undefined {
  const name = `${seg?.name ?? 'PID'}-${n}`;
  const at = `${seg?.name ?? 'PID'}^1^${n}`;
  const reps = repetitions(hl7, seg, n);
  const used = reps.filter((cx) => (cx[0] ?? '').trim() !== '').length;
  if (used > ADT_FIELD_LIMITS.identifiers) {
    return {
      ackCode: 'AE',
      hl7ErrorCode: '102',
      location: at,
      reason: `${name} has ${used} identifiers; at most ${ADT_FIELD_LIMITS.identifiers} are accepted`,
    };
  }
  for (const [r, cx] of reps.entries()) {
    const id = utf8Bytes((cx[0] ?? '').trim());
    if (id > ADT_FIELD_LIMITS.idBytes)
      return tooLong('AE', `${name} repetition ${r + 1} ID number (CX.1)`, `${at}^${r + 1}^1`, id, ADT_FIELD_LIMITS.idBytes);
    const authority = utf8Bytes((cx[3] ?? '').trim());
    if (authority > ADT_FIELD_LIMITS.hdBytes) {
      return tooLong(
        'AE',
        `${name} repetition ${r + 1} assigning authority (CX.4)`,
        `${at}^${r + 1}^4`,
        authority,
        ADT_FIELD_LIMITS.hdBytes,
      );
    }
  }
  return undefined;
}

/** One id the store keys on (a visit number, a unit), already decoded. */
export function idProblem(value: string, field: string, location: string): AdtProblem | undefined {
  const bytes = utf8Bytes(value);
  return bytes > ADT_FIELD_LIMITS.idBytes ? tooLong('AE', field, location, bytes, ADT_FIELD_LIMITS.idBytes) : undefined;
}
