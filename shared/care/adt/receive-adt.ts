import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { buildAck, type AckCode } from '../../domain/adt/ack';
import { interpretAdt, type AdtMessage, type AdtVisit } from '../../domain/adt/adt-message';
import { applyAdtToEncounter, encounterFromAdt, isEncounterEvent, patched, type EncounterEvent } from '../../domain/adt/apply-to-encounter';
import { applyAdtToPatient, mergePatients, patientFromAdt } from '../../domain/adt/apply-to-patient';
import { DEFAULT_ADT_MAPPINGS, type AdtMappings } from '../../domain/adt/mappings';
import { sendingFacilityProblem } from '../../domain/adt/sending-facility';
import { dischargeBeforeAdmissionProblem, futureTimeProblem } from '../../domain/adt/time-bounds';
import { deathInAdt } from '../../domain/death';
import type { Patient } from '../../domain/encounter';
import type { Caller } from '../../http/caller';
import { sha256 } from '../../ids';
import { logger } from '../../observability/logger';
import type { AdtStore, AuditEntry } from '../../store/adt-store';
import { failedConditions, isPermanentStoreFailure, isTransactionConflict } from '../../store/dynamo';
import { versionedUpdate, type EncounterStore } from '../../store/encounter-store';
import { keys } from '../../store/keys';
import { patientWrites, type PatientStore } from '../../store/patient-store';

export interface AdtDeps {
  adt: AdtStore;
  patients: PatientStore;
  encounters: EncounterStore;
  tableName: string;
  now: () => Date;
  newId: () => string;
  mappings?: AdtMappings;
  /** The facility's IANA zone: HL7 times without an offset are its local time. @default UTC */
  timeZone?: string;
  /**
   * The MSH-4 sending facilities the caller's facility accepts (stage config
   * `adtSendingFacilities`); others, and an MSH-6 naming another facility, are AR. The handler
   * always passes the list; left out only where a test drives the service without the envelope check.
   */
  sendingFacilities?: readonly string[];
}

export interface AdtReply {
  ack: string;
  code: AckCode;
  /**
   * True only when the receiver failed for the moment (throttling, a DynamoDB 5xx, a timeout): the
   * sender should resend later (HTTP 503). A message the store can never hold is AE/AR, not this.
   */
  retryable: boolean;
  /** MSH-9's trigger event (A01, A03 …) when the header could be read. */
  triggerEvent?: string;
}

interface Outcome {
  note: string;
  encounterId?: string;
  patientId?: string;
}

/** The message did not fit what is stored (an identifier of another patient, say): AE. */
class AdtContentError extends Error {
  override name = 'AdtContentError';
  constructor(
    message: string,
    /** HL7 ERR-2 location of the field to fix, when one field is at fault. */
    readonly location?: string,
  ) {
    super(message);
  }
}

const MAX_ATTEMPTS = 5;

/** What DynamoDB refused for good (isPermanentStoreFailure): a resend would fail the same way. */
const STORE_REFUSAL = 'Carepath cannot store what this message says (a value over the size it keeps); nothing applied';
/** HL7 trigger events are three characters; anything else is not kept as the message's event or metric dimension. */
const TRIGGER_EVENT = /^[A-Z0-9]{3}$/;

/**
 * POST /v1/adt, after the HTTP edge: store the raw message first (so nothing received is lost),
 * then apply it exactly once — the state change and the message's "processed" mark are one
 * transaction — and answer with an ACK. A repeat of a (sending facility, MSH-10) is answered as the
 * first one was, without processing it again.
 */
export async function receiveAdt(raw: string, caller: Caller, deps: AdtDeps): Promise<AdtReply> {
  const now = deps.now();
  const ackControlId = deps.newId().replace(/-/g, '').slice(0, 20);
  const interpreted = interpretAdt(raw, deps.mappings ?? DEFAULT_ADT_MAPPINGS, deps.timeZone);
  // Hash what the message says, not how it was framed: a resend with other line ends or MLLP
  // framing is the same message.
  const hash = sha256(
    raw
      .replace(/[\u000b\u001c]/g, '')
      .split(/\r\n|\r|\n/)
      .filter((line) => line.trim() !== '')
      .join('\r'),
  );
  const header = interpreted.ok ? interpreted.message.header : interpreted.header;
  const triggerEvent = header?.triggerEvent && TRIGGER_EVENT.test(header.triggerEvent) ? header.triggerEvent : undefined;
  const reply = (
    code: AckCode,
    text: string,
    extra: { errorCode?: string; errorLocation?: string; retryable?: boolean } = {},
  ): AdtReply => ({
    code,
    retryable: extra.retryable ?? false,
    ...(triggerEvent ? { triggerEvent } : {}),
    ack: buildAck({
      incoming: interpreted.ok ? interpreted.message.header : interpreted.header,
      ...(interpreted.hl7 ? { encoding: interpreted.hl7.encoding } : {}),
      code,
      text,
      ackControlId,
      now,
      ...(extra.errorCode ? { errorCode: extra.errorCode } : {}),
      ...(extra.errorLocation ? { errorLocation: extra.errorLocation } : {}),
    }),
  });

  try {
    return await receiveAndApply();
  } catch (error) {
    if (isPermanentStoreFailure(error)) {
      // Not even the raw message could be kept: refused for good, so the feed is not stuck on it.
      logger.warn('ADT message refused: the store cannot hold it', { errorName: (error as Error).name });
      return reply('AE', STORE_REFUSAL, { errorCode: '207' });
    }
    logger.error('ADT message could not be stored or applied; nothing acknowledged', { errorName: (error as Error).name });
    return reply('AR', 'Receiver error: resend the message later', { errorCode: '207', retryable: true });
  }

  async function receiveAndApply(): Promise<AdtReply> {
    if (!header?.controlId) {
      const reason = interpreted.ok ? 'MSH-10 is required' : interpreted.problem.reason;
      await deps.adt.receiveUnreadable(caller.facilityId, raw, hash, now.toISOString(), reason);
      return reply('AR', reason, interpreted.ok ? {} : { errorCode: interpreted.problem.hl7ErrorCode });
    }

    const base = { facilityId: caller.facilityId, sendingFacility: header.sendingFacility ?? '', controlId: header.controlId };
    const received = await deps.adt.receive({
      ...base,
      raw,
      sha256: hash,
      receivedAt: now.toISOString(),
      ...(triggerEvent ? { event: triggerEvent } : {}),
      ...(interpreted.ok ? { eventTime: interpreted.message.eventTime } : {}),
      status: interpreted.ok ? 'received' : 'rejected',
      ...(interpreted.ok ? {} : { ackCode: interpreted.problem.ackCode, note: interpreted.problem.reason }),
    });
    if (!received.stored) {
      const existing = received.existing;
      if (existing.sha256 !== hash) {
        return reply('AE', `MSH-10 ${header.controlId} was already used for a different message`, {
          errorCode: '207',
          errorLocation: 'MSH^1^10',
        });
      }
      // AR said "resend later unchanged": a readable message refused with AR (a sending facility
      // not yet listed, say) is judged again; any other repeat is answered as the first time.
      const judgeAgain =
        interpreted.ok && existing.status === 'rejected' && existing.ackCode === 'AR' && (await deps.adt.reopen(base, now.toISOString()));
      if (existing.status !== 'received' && !judgeAgain) {
        // A repeat: answered as the first time, processed nothing; a refusal read from the message
        // itself names the same field again.
        const same = !interpreted.ok && existing.ackCode === interpreted.problem.ackCode ? interpreted.problem : undefined;
        return reply(
          existing.ackCode ?? 'AA',
          `duplicate of a message already received: ${existing.note ?? ''}`.trim(),
          same ? { errorCode: same.hl7ErrorCode, ...(same.location ? { errorLocation: same.location } : {}) } : {},
        );
      }
      // Stored before, but processing did not finish then: finish it now.
    }
    if (!interpreted.ok) {
      const { problem } = interpreted;
      return reply(problem.ackCode, problem.reason, {
        errorCode: problem.hl7ErrorCode,
        ...(problem.location ? { errorLocation: problem.location } : {}),
      });
    }

    const { message } = interpreted;
    // A misrouted feed (another hospital's messages, or ones addressed elsewhere) is stored but
    // never filed under this facility: AR says the envelope is wrong, not the content.
    const misrouted =
      deps.sendingFacilities &&
      sendingFacilityProblem(message.header, { facilityId: caller.facilityId, sendingFacilities: deps.sendingFacilities });
    if (misrouted) {
      const marked = await markOrReadBack(deps, base, { status: 'rejected', ackCode: 'AR', note: misrouted.reason });
      return marked.ackCode === 'AR'
        ? reply('AR', misrouted.reason, {
            errorCode: misrouted.hl7ErrorCode,
            ...(misrouted.location ? { errorLocation: misrouted.location } : {}),
          })
        : reply(marked.ackCode, marked.note);
    }
    try {
      // Checked after the message is stored (nothing received is lost) and before anything applies.
      const future = futureTimeProblem(message, now);
      if (future) throw new AdtContentError(future.reason, future.location);
      const outcome = await applyMessage(message, base, caller, deps);
      return reply('AA', outcome.note);
    } catch (error) {
      // The message is stored; what DynamoDB refuses for good is refused for good (AE), never "resend later".
      const refusal =
        error instanceof AdtContentError ? error : isPermanentStoreFailure(error) ? new AdtContentError(STORE_REFUSAL) : undefined;
      if (refusal) {
        if (!(error instanceof AdtContentError))
          logger.warn('ADT message refused: the store cannot hold what it says', {
            errorName: (error as Error).name,
            controlId: header.controlId,
          });
        const marked = await markOrReadBack(deps, base, { status: 'rejected', ackCode: 'AE', note: refusal.message });
        return marked.ackCode === 'AE'
          ? reply('AE', refusal.message, { errorCode: '207', ...(refusal.location ? { errorLocation: refusal.location } : {}) })
          : reply(marked.ackCode, marked.note);
      }
      logger.error('ADT processing failed; message kept for a resend', { errorName: (error as Error).name, controlId: header.controlId });
      return reply('AR', 'Receiver error: the message is stored; resend it later', { errorCode: '207', retryable: true });
    }
  }
}

/**
 * Marks a message outside a state change. If a concurrent copy marked it first, its answer is
 * the answer (the same message gets the same ACK).
 */
async function markOrReadBack(
  deps: AdtDeps,
  ref: MessageRef,
  outcome: { status: 'ignored' | 'rejected'; ackCode: AckCode; note: string },
): Promise<{ ackCode: AckCode; note: string }> {
  try {
    await deps.adt.mark(ref, outcome);
    return outcome;
  } catch (error) {
    const stored = (error as Error).name === 'ConditionalCheckFailedException' ? await deps.adt.get(ref) : undefined;
    if (!stored?.ackCode) throw error;
    return { ackCode: stored.ackCode, note: stored.note ?? '' };
  }
}

type MessageRef = { facilityId: string; sendingFacility: string; controlId: string };

async function applyMessage(message: AdtMessage, ref: MessageRef, caller: Caller, deps: AdtDeps): Promise<Outcome> {
  const event = message.event;
  const actor = `adt:${message.header.sendingFacility || caller.clientId}`;
  if (!event) {
    const note = `event ${message.header.triggerEvent} stored; Carepath does not act on it`;
    return { note: (await markOrReadBack(deps, ref, { status: 'ignored', ackCode: 'AA', note })).note };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      if (event === 'A40') return await merge(message, ref, caller, actor, deps);
      if (message.visit && event === 'A03') {
        // Before the patient is registered or updated: a refused message changes nothing.
        const stayId = await deps.adt.findEncounterIdByVisit(caller.facilityId, message.visit.visitNumber);
        const stay = stayId ? await deps.encounters.get(stayId) : undefined;
        const early = dischargeBeforeAdmissionProblem(message, stay?.admittedAt);
        if (early) throw new AdtContentError(early.reason, early.location);
      }
      const patient = await resolvePatient(message, caller, deps);
      if (!isEncounterEvent(event) || !message.visit) {
        const note = `${event} processed: patient record up to date`;
        await deps.adt.transact([
          audit(deps, keys.patient(patient.patientId), { patientId: patient.patientId, facilityId: caller.facilityId }, message, actor, {
            event,
            note,
          }),
          deps.adt.markWrite(ref, { status: 'processed', ackCode: 'AA', note, patientId: patient.patientId }),
        ]);
        return { note, patientId: patient.patientId };
      }
      return await applyToEncounter(message as AdtMessage & { visit: AdtVisit }, event, patient, ref, caller, actor, deps);
    } catch (error) {
      if (failedConditions(error).length > 0 && (await alreadyProcessed(ref, deps))) {
        return { note: 'duplicate of a message processed concurrently' };
      }
      const contended = isTransactionConflict(error) || failedConditions(error).length > 0;
      if (!contended || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }
}

async function alreadyProcessed(ref: MessageRef, deps: AdtDeps): Promise<boolean> {
  const stored = await deps.adt.get(ref);
  return !!stored && stored.status !== 'received';
}

/**
 * The message's line in the patient's audit trail (issue 16 item 13): the patient, facility and
 * stay it concerns make the stream consumer place it there (shared/domain/audit.ts, AdtEvent).
 * Control id, event, event time and the outcome note only: never the message text (PHI).
 */
function audit(
  deps: AdtDeps,
  owner: { pk: string },
  subject: { patientId: string; facilityId: string; encounterId?: string },
  message: AdtMessage,
  actor: string,
  detail: Record<string, unknown>,
): TransactWriteItem {
  const entry: AuditEntry = {
    at: deps.now().toISOString(),
    action: `adt.${message.header.triggerEvent}`,
    actor,
    ...subject,
    detail: { controlId: message.header.controlId, eventTime: message.eventTime, ...detail },
  };
  return deps.adt.auditWrite(owner, entry, deps.newId());
}

/**
 * Finds the patient by any PID-3 identifier, or registers one; demographics follow event time.
 * Two messages registering the same new patient at once: the loser finds the winner's record
 * and goes round again. PID-3 naming two different patients is the sender's to fix (AE).
 */
async function resolvePatient(message: AdtMessage, caller: Caller, deps: AdtDeps): Promise<Patient> {
  const adtPatient = message.patient!;
  // PID-29/30, or an A03 whose disposition is expired: the patient record says so (issue 16 item 2).
  const death = deathInAdt(message);
  const writes = patientWrites(deps.tableName);
  for (let attempt = 1; ; attempt++) {
    const now = deps.now();
    const owners = new Set<string>();
    for (const identifier of adtPatient.identifiers) {
      const owner = await deps.patients.findIdByIdentifier(caller.facilityId, identifier);
      if (owner) owners.add(owner);
    }
    const found = (await Promise.all([...owners].map((id) => deps.patients.get(id)))).filter((p): p is Patient => !!p);
    const survivorIds = new Set(found.map((p) => p.mergedInto ?? p.patientId));
    if (survivorIds.size > 1) throw new AdtContentError('PID-3 names identifiers of two different patients; send an A40 merge first');
    const [survivorId] = [...survivorIds];
    const known = survivorId ? (found.find((p) => p.patientId === survivorId) ?? (await deps.patients.get(survivorId))) : undefined;
    try {
      if (!known) {
        const patient = patientFromAdt(
          adtPatient,
          { patientId: deps.newId(), facilityId: caller.facilityId },
          message.eventTime,
          now,
          death,
        );
        await deps.adt.transact(writes.create(patient));
        return patient;
      }
      const { next, added, changed } = applyAdtToPatient(known, adtPatient, message.eventTime, now, death);
      if (!changed) return known;
      await deps.adt.transact(writes.replace(known, next, { claim: added }));
      return { ...next, version: (known.version ?? 0) + 1 };
    } catch (error) {
      // Someone registered or changed this patient meanwhile: read again.
      if (failedConditions(error).length === 0 && !isTransactionConflict(error)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 30));
    }
  }
}

async function applyToEncounter(
  message: AdtMessage & { visit: AdtVisit },
  event: EncounterEvent,
  patient: Patient,
  ref: MessageRef,
  caller: Caller,
  actor: string,
  deps: AdtDeps,
): Promise<Outcome> {
  const now = deps.now();
  const encounterId = await deps.adt.findEncounterIdByVisit(caller.facilityId, message.visit.visitNumber);
  const current = encounterId ? await deps.encounters.get(encounterId) : undefined;
  if (!current) {
    // The first message for a visit creates it, whatever the event: a cancel that arrives before
    // what it cancels leaves a record (with its event time), so the late original stays cancelled.
    const created = encounterFromAdt(
      message,
      { encounterId: deps.newId(), patientId: patient.patientId, facilityId: caller.facilityId },
      now,
    );
    const application = applyAdtToEncounter(created, message, event);
    const encounter = { ...patched(created, application.patch), ...(application.status ? { status: application.status } : {}) };
    const note = `${event} processed: encounter created (${application.applied.join(', ')})${application.note ? `; ${application.note}` : ''}`;
    await deps.adt.transact([
      ...deps.adt.createEncounterWrites(encounter),
      audit(
        deps,
        keys.encounter(encounter.encounterId),
        { patientId: patient.patientId, facilityId: caller.facilityId, encounterId: encounter.encounterId },
        message,
        actor,
        {
          event,
          applied: application.applied,
          created: true,
          note,
        },
      ),
      deps.adt.markWrite(ref, {
        status: 'processed',
        ackCode: 'AA',
        note,
        encounterId: encounter.encounterId,
        patientId: patient.patientId,
      }),
    ]);
    return { note, encounterId: encounter.encounterId, patientId: patient.patientId };
  }

  if (current.patientId !== patient.patientId) {
    throw new AdtContentError(`Visit ${message.visit.visitNumber} belongs to another patient than PID-3 names`);
  }
  const application = applyAdtToEncounter(current, message, event);
  const note =
    application.applied.length > 0
      ? `${event} processed: ${application.applied.join(', ')}${application.note ? ` (${application.note})` : ''}`
      : `${event} ${application.note}`;
  const writes: TransactWriteItem[] = [];
  if (application.applied.length > 0) {
    const { updates } = versionedUpdate(deps.tableName, current, { status: application.status, fields: application.patch }, now);
    writes.push(...updates.map((Update) => ({ Update })));
  }
  writes.push(
    audit(
      deps,
      keys.encounter(current.encounterId),
      { patientId: patient.patientId, facilityId: caller.facilityId, encounterId: current.encounterId },
      message,
      actor,
      {
        event,
        applied: application.applied,
        stale: application.stale,
        note,
      },
    ),
    deps.adt.markWrite(ref, { status: 'processed', ackCode: 'AA', note, encounterId: current.encounterId, patientId: patient.patientId }),
  );
  await deps.adt.transact(writes);
  return { note, encounterId: current.encounterId, patientId: patient.patientId };
}

/** A40: the surviving patient (PID-3) takes the merged one's (MRG-1) identifiers and encounters. */
async function merge(message: AdtMessage, ref: MessageRef, caller: Caller, actor: string, deps: AdtDeps): Promise<Outcome> {
  const now = deps.now();
  const survivor = await resolvePatient(message, caller, deps);
  const merged = await deps.patients.findByIdentifiers(caller.facilityId, message.mergedIdentifiers ?? []);
  if (!merged || merged.patientId === survivor.patientId || merged.mergedInto === survivor.patientId) {
    const note = merged ? 'A40: already merged' : 'A40: no patient has the prior identifiers (MRG-1); nothing to merge';
    await deps.adt.transact([
      audit(deps, keys.patient(survivor.patientId), { patientId: survivor.patientId, facilityId: caller.facilityId }, message, actor, {
        event: 'A40',
        note,
      }),
      deps.adt.markWrite(ref, { status: 'processed', ackCode: 'AA', note, patientId: survivor.patientId }),
    ]);
    return { note, patientId: survivor.patientId };
  }
  const result = mergePatients(survivor, merged, now);
  const writes = patientWrites(deps.tableName);
  const encounters = await deps.encounters.listByPatient(merged.patientId);
  const items: TransactWriteItem[] = [
    ...writes.replace(survivor, result.survivor, { takeOver: merged.identifiers }),
    ...writes.replace(merged, result.merged),
    ...encounters.flatMap((encounter) =>
      versionedUpdate(deps.tableName, encounter, { fields: { patientId: survivor.patientId } }, now).updates.map((Update) => ({ Update })),
    ),
    audit(deps, keys.patient(survivor.patientId), { patientId: survivor.patientId, facilityId: caller.facilityId }, message, actor, {
      event: 'A40',
      mergedPatientId: merged.patientId,
      encounters: encounters.length,
    }),
    audit(deps, keys.patient(merged.patientId), { patientId: merged.patientId, facilityId: caller.facilityId }, message, actor, {
      event: 'A40',
      mergedInto: survivor.patientId,
    }),
  ];
  const note = `A40 processed: merged a patient record and ${encounters.length} encounter(s) into the surviving patient`;
  items.push(deps.adt.markWrite(ref, { status: 'processed', ackCode: 'AA', note, patientId: survivor.patientId }));
  await deps.adt.transact(items);
  return { note, patientId: survivor.patientId };
}
