import type { AdmissionType, EncounterClass, HumanName, Identifier, PatientLocation } from '../encounter';
import type { DischargeDisposition } from '../discharge-plan';
import { parseHl7, repetitions, segment, value, type Hl7Message, type Segment } from '../hl7/message';
import { textProblem } from '../text-hygiene';
import { headerBoundsProblem, identifierListProblem, idProblem, quoted } from './field-bounds';
import { hl7DateToIso, hl7TimeToIso } from './hl7-time';
import { DEFAULT_ADT_MAPPINGS, type AdtMappings } from './mappings';

/** The trigger events Carepath acts on; any other ADT event is stored and acknowledged. */
export const HANDLED_EVENTS = [
  'A01',
  'A02',
  'A03',
  'A04',
  'A05',
  'A06',
  'A07',
  'A08',
  'A11',
  'A12',
  'A13',
  'A16',
  'A21',
  'A22',
  'A25',
  'A28',
  'A31',
  'A40',
] as const;
export type AdtEvent = (typeof HANDLED_EVENTS)[number];

const PATIENT_ONLY: readonly AdtEvent[] = ['A28', 'A31', 'A40'];
export const SUPPORTED_VERSIONS = ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2'];

export interface AdtHeader {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  messageTime?: string;
  messageType: string;
  triggerEvent: string;
  structure: string;
  controlId: string;
  processingId: string;
  version: string;
}

export interface AdtPatient {
  identifiers: Identifier[];
  name?: HumanName;
  birthDate?: string;
  sex?: 'female' | 'male' | 'other' | 'unknown';
  accountNumber?: string;
  deceasedAt?: string;
  /** PID-30 patient death indicator (table 0136). */
  deathIndicator?: 'Y' | 'N';
}

export interface AdtVisit {
  visitNumber: string;
  patientClassCode: string;
  /** PV1-18, user-defined table 0018. */
  patientTypeCode?: string;
  encounterClass: EncounterClass;
  admissionTypeCode?: string;
  admissionType: AdmissionType;
  location?: PatientLocation;
  priorLocation?: PatientLocation;
  attending?: { id: string; family?: string; given?: string };
  hospitalService?: string;
  admitSource?: string;
  dispositionCode?: string;
  disposition?: DischargeDisposition;
  dischargedTo?: string;
  admittedAt?: string;
  dischargedAt?: string;
  expectedDischargeAt?: string;
}

export interface AdtMessage {
  header: AdtHeader;
  /** A handled event, or the raw trigger code of one Carepath only stores. */
  event: AdtEvent | null;
  /** When it happened, by EVN-2 then MSH-7: what ordering is decided by. */
  eventTime: string;
  /** Where eventTime came from, so a refusal names the field the sender must fix. */
  eventTimeSource?: 'EVN-2' | 'MSH-7';
  patient?: AdtPatient;
  visit?: AdtVisit;
  /** A40: the identifiers of the patient being merged away (MRG-1). */
  mergedIdentifiers?: Identifier[];
}

/** Why a message was not accepted, in HL7 ACK terms: AR = resend unchanged later is pointless/fix envelope, AE = fix the content. */
export interface AdtProblem {
  ackCode: 'AR' | 'AE';
  reason: string;
  /** Where, as HL7 ERR-2 location: SEG^sequence^field (^component). */
  location?: string;
  /** HL7 table 0357 code: 100 segment sequence, 101 required field missing, 102 data type, 200 unsupported message type, 201 unsupported event, 203 unsupported version, 207 application error. */
  hl7ErrorCode: string;
}

export type InterpretResult =
  | { ok: true; message: AdtMessage; hl7: Hl7Message }
  | { ok: false; problem: AdtProblem; header?: Partial<AdtHeader>; hl7?: Hl7Message };

function header(hl7: Hl7Message, timeZone: string): AdtHeader {
  const msh = segment(hl7, 'MSH');
  return {
    sendingApplication: value(hl7, msh, 3),
    sendingFacility: value(hl7, msh, 4),
    receivingApplication: value(hl7, msh, 5),
    receivingFacility: value(hl7, msh, 6),
    messageTime: hl7TimeToIso(value(hl7, msh, 7), timeZone),
    messageType: value(hl7, msh, 9, 1),
    triggerEvent: value(hl7, msh, 9, 2) || value(hl7, segment(hl7, 'EVN'), 1),
    structure: value(hl7, msh, 9, 3),
    controlId: value(hl7, msh, 10),
    processingId: value(hl7, msh, 11),
    version: value(hl7, msh, 12),
  };
}

/** CX repetitions (id^check^scheme^authority^type) → identifiers with a system URI. */
function identifiers(hl7: Hl7Message, seg: Segment | undefined, n: number): Identifier[] {
  return repetitions(hl7, seg, n)
    .filter((cx) => (cx[0] ?? '').trim() !== '')
    .map((cx) => {
      const authority = (cx[3] ?? '').trim();
      const type = (cx[4] ?? '').trim();
      const system = authority ? `urn:hl7v2:authority:${authority}` : 'urn:hl7v2:authority:unknown';
      return type ? { system, value: cx[0]!.trim(), type } : { system, value: cx[0]!.trim() };
    });
}

function location(hl7: Hl7Message, seg: Segment | undefined, n: number): PatientLocation | undefined {
  const pl = repetitions(hl7, seg, n)[0];
  if (!pl?.[0]) return undefined;
  const result: PatientLocation = { pointOfCare: pl[0] };
  if (pl[1]) result.room = pl[1];
  if (pl[2]) result.bed = pl[2];
  if (pl[3]) result.facility = pl[3];
  return result;
}

function problem(ackCode: 'AR' | 'AE', hl7ErrorCode: string, reason: string, location?: string): AdtProblem {
  return location ? { ackCode, hl7ErrorCode, reason, location } : { ackCode, hl7ErrorCode, reason };
}

/**
 * The first field whose decoded text a clinical record may not hold (a NUL, a bidirectional
 * control, a lone surrogate: shared/domain/text-hygiene.ts), as the JSON API refuses them. Decoded,
 * so `\X00\` is found too. A header field is the envelope (AR), any other field content (AE).
 */
function textHygieneProblem(hl7: Hl7Message): AdtProblem | undefined {
  for (const seg of hl7.segments) {
    for (let n = seg.name === 'MSH' ? 3 : 1; n < seg.fields.length; n++) {
      const reason = repetitions(hl7, seg, n).flat().map(textProblem).find(Boolean);
      if (reason) return problem(seg.name === 'MSH' ? 'AR' : 'AE', '102', `${seg.name}-${n} ${reason}`, `${seg.name}^1^${n}`);
    }
  }
  return undefined;
}

/**
 * Parses and checks one ADT message. The envelope (MSH-9/-10/-11/-12) failing is AR; content
 * missing what the event needs (PID-3, a visit number, MRG-1, times) is AE. Times without an
 * offset are the facility's local time (`timeZone`, hl7-time.ts).
 */
export function interpretAdt(text: unknown, mappings: AdtMappings = DEFAULT_ADT_MAPPINGS, timeZone = 'UTC'): InterpretResult {
  // Composed to NFC, as JSON bodies are, so one name has one spelling whichever way it came (the raw message is stored as sent).
  const parsed = parseHl7(typeof text === 'string' ? text.normalize('NFC') : text);
  if (!parsed.ok) return { ok: false, problem: problem('AR', '100', parsed.reason) };
  const hl7 = parsed.message;
  const h = header(hl7, timeZone);
  const fail = (p: AdtProblem): InterpretResult => ({ ok: false, problem: p, header: h, hl7 });

  if (!h.controlId) return fail(problem('AR', '101', 'MSH-10 (message control id) is required', 'MSH^1^10'));
  const envelope = headerBoundsProblem(segment(hl7, 'MSH'), h.controlId);
  if (envelope) return fail(envelope);
  const unclean = textHygieneProblem(hl7);
  if (unclean) return fail(unclean);
  if (h.messageType !== 'ADT') {
    return fail(problem('AR', '200', `MSH-9 message type ${quoted(h.messageType)} is not accepted here; send ADT`, 'MSH^1^9'));
  }
  if (!SUPPORTED_VERSIONS.includes(h.version)) {
    return fail(problem('AR', '203', `MSH-12 version ${quoted(h.version)} is not supported (2.3 to 2.8)`, 'MSH^1^12'));
  }
  if (h.processingId && !['P', 'T', 'D'].includes(h.processingId[0]!)) {
    return fail(problem('AR', '202', `MSH-11 processing id ${quoted(h.processingId)} is not P, T or D`, 'MSH^1^11'));
  }
  if (!/^A\d\d$/.test(h.triggerEvent)) {
    return fail(problem('AR', '201', `MSH-9.2 trigger event ${quoted(h.triggerEvent)} is not an ADT event`, 'MSH^1^9^2'));
  }

  const evn = segment(hl7, 'EVN');
  const recordedAt = hl7TimeToIso(value(hl7, evn, 2), timeZone);
  const eventTime = recordedAt ?? h.messageTime;
  if (!eventTime) return fail(problem('AE', '102', 'EVN-2 or MSH-7 must give the event time', 'EVN^1^2'));
  const eventTimeSource = recordedAt ? 'EVN-2' : 'MSH-7';

  const event = (HANDLED_EVENTS as readonly string[]).includes(h.triggerEvent) ? (h.triggerEvent as AdtEvent) : null;
  const message: AdtMessage = { header: h, event, eventTime, eventTimeSource };
  if (!event) return { ok: true, message, hl7 };

  const pid = segment(hl7, 'PID');
  const idsTooLong = identifierListProblem(hl7, pid, 3);
  if (idsTooLong) return fail(idsTooLong);
  const ids = identifiers(hl7, pid, 3);
  if (ids.length === 0) return fail(problem('AE', '101', 'PID-3 (patient identifier list) is required', 'PID^1^3'));
  const sexCode = value(hl7, pid, 8);
  const birth = value(hl7, pid, 7);
  const patient: AdtPatient = { identifiers: ids };
  const family = value(hl7, pid, 5, 1);
  if (family) patient.name = { family, given: [value(hl7, pid, 5, 2), value(hl7, pid, 5, 3)].filter(Boolean) };
  if (birth) {
    const birthDate = hl7DateToIso(birth);
    if (!birthDate) return fail(problem('AE', '102', `PID-7 birth date ${quoted(birth)} is not a date`, 'PID^1^7'));
    patient.birthDate = birthDate;
  }
  if (sexCode) patient.sex = mappings.sex[sexCode] ?? 'unknown';
  const account = value(hl7, pid, 18);
  if (account) patient.accountNumber = account;
  const deceasedAt = hl7TimeToIso(value(hl7, pid, 29), timeZone);
  if (deceasedAt) patient.deceasedAt = deceasedAt;
  const deathIndicator = value(hl7, pid, 30).toUpperCase();
  if (deathIndicator === 'Y' || deathIndicator === 'N') patient.deathIndicator = deathIndicator;
  message.patient = patient;

  if (event === 'A40') {
    const mergedTooLong = identifierListProblem(hl7, segment(hl7, 'MRG'), 1);
    if (mergedTooLong) return fail(mergedTooLong);
    const merged = identifiers(hl7, segment(hl7, 'MRG'), 1);
    if (merged.length === 0) return fail(problem('AE', '101', 'MRG-1 (prior patient identifiers) is required for A40', 'MRG^1^1'));
    message.mergedIdentifiers = merged;
    return { ok: true, message, hl7 };
  }

  const pv1 = segment(hl7, 'PV1');
  const visitNumber = value(hl7, pv1, 19) || account;
  if (PATIENT_ONLY.includes(event) && !visitNumber) return { ok: true, message, hl7 };
  if (!visitNumber) return fail(problem('AE', '101', 'PV1-19 (visit number) or PID-18 (account number) is required', 'PV1^1^19'));
  const [visitField, visitLocation] = value(hl7, pv1, 19)
    ? ['PV1-19 (visit number)', 'PV1^1^19']
    : ['PID-18 (account number, the visit number)', 'PID^1^18'];
  const visitTooLong = idProblem(visitNumber, visitField, visitLocation);
  if (visitTooLong) return fail(visitTooLong);
  const classCode = value(hl7, pv1, 2);
  const patientTypeCode = value(hl7, pv1, 18);
  const admissionTypeCode = value(hl7, pv1, 4);
  const visit: AdtVisit = {
    visitNumber,
    patientClassCode: classCode,
    // Table 0004 has no observation class: sites send it as PV1-18 patient type (with PV1-2 O or
    // I) or as a site code in PV1-2. The patient type, when mapped, decides.
    encounterClass: mappings.patientType[patientTypeCode] ?? mappings.patientClass[classCode] ?? mappings.patientClassFallback,
    admissionType: mappings.admissionType[admissionTypeCode] ?? mappings.admissionTypeFallback,
  };
  if (admissionTypeCode) visit.admissionTypeCode = admissionTypeCode;
  if (patientTypeCode) visit.patientTypeCode = patientTypeCode;
  const here = location(hl7, pv1, 3);
  // The point of care is the stay's unit, which keys the metrics and satisfaction counters.
  const unitTooLong = here && idProblem(here.pointOfCare, 'PV1-3 point of care (PL.1)', 'PV1^1^3^1^1');
  if (unitTooLong) return fail(unitTooLong);
  if (here) visit.location = here;
  const prior = location(hl7, pv1, 6);
  if (prior) visit.priorLocation = prior;
  const attendingId = value(hl7, pv1, 7, 1);
  if (attendingId) {
    visit.attending = { id: attendingId };
    const [fam, giv] = [value(hl7, pv1, 7, 2), value(hl7, pv1, 7, 3)];
    if (fam) visit.attending.family = fam;
    if (giv) visit.attending.given = giv;
  }
  for (const [key, n] of [
    ['hospitalService', 10],
    ['admitSource', 14],
    ['dischargedTo', 37],
  ] as const) {
    const v = value(hl7, pv1, n);
    if (v) visit[key] = v;
  }
  const dispositionCode = value(hl7, pv1, 36);
  if (dispositionCode) {
    visit.dispositionCode = dispositionCode;
    visit.disposition = mappings.dischargeDisposition[dispositionCode] ?? mappings.dischargeDispositionFallback;
  }
  for (const [key, seg, n] of [
    ['admittedAt', pv1, 44],
    ['dischargedAt', pv1, 45],
    ['expectedDischargeAt', segment(hl7, 'PV2'), 9],
  ] as const) {
    const raw = value(hl7, seg, n);
    if (!raw) continue;
    const iso = hl7TimeToIso(raw, timeZone);
    if (!iso)
      return fail(problem('AE', '102', `${seg?.name ?? 'PV1'}-${n} ${quoted(raw)} is not a timestamp`, `${seg?.name ?? 'PV1'}^1^${n}`));
    visit[key] = iso;
  }
  message.visit = visit;
  return { ok: true, message, hl7 };
}
