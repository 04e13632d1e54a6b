import { recordDeath, type DeathReport } from '../death';
import type { Identifier, Patient } from '../encounter';
import type { AdtPatient } from './adt-message';

const sameIdentifier = (a: Identifier, b: Identifier) => a.system === b.system && a.value === b.value;

export function addIdentifiers(existing: Identifier[], incoming: Identifier[]): { all: Identifier[]; added: Identifier[] } {
  const added = incoming.filter(
    (id, i) => !existing.some((e) => sameIdentifier(e, id)) && incoming.findIndex((o) => sameIdentifier(o, id)) === i,
  );
  return { all: [...existing, ...added], added };
}

export function patientFromAdt(
  adt: AdtPatient,
  ids: { patientId: string; facilityId: string },
  eventTime: string,
  now: Date,
  death?: DeathReport,
): Patient {
  const { all } = addIdentifiers([], adt.identifiers);
  const patient: Patient = {
    ...ids,
    identifiers: all,
    ...(adt.name ? { name: adt.name } : {}),
    ...(adt.birthDate ? { birthDate: adt.birthDate } : {}),
    ...(adt.sex ? { sex: adt.sex } : {}),
    demographicsAsOf: eventTime,
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  return death ? recordDeath(patient, death, now).next : patient;
}

/**
 * Identifiers only ever add up; demographics change only for a message at least as new as the
 * last one that changed them (a late, older A08 must not bring back an old name). A death applies
 * whatever the message's age (a late report of it is still true), once (shared/domain/death.ts).
 */
export function applyAdtToPatient(
  patient: Patient,
  adt: AdtPatient,
  eventTime: string,
  now: Date,
  death?: DeathReport,
): { next: Patient; added: Identifier[]; changed: boolean } {
  const { all, added } = addIdentifiers(patient.identifiers, adt.identifiers);
  const fresh = !patient.demographicsAsOf || eventTime >= patient.demographicsAsOf;
  const next: Patient = { ...patient, identifiers: all };
  if (fresh) {
    if (adt.name) next.name = adt.name;
    if (adt.birthDate) next.birthDate = adt.birthDate;
    if (adt.sex) next.sex = adt.sex;
    next.demographicsAsOf = eventTime;
  }
  const dead = death ? recordDeath(next, death, now).next : next;
  const changed = JSON.stringify({ ...dead, updatedAt: patient.updatedAt }) !== JSON.stringify(patient);
  const result = { ...dead, updatedAt: changed ? now.toISOString() : patient.updatedAt };
  if (!result.updatedAt) delete result.updatedAt;
  return { next: result, added, changed };
}

/** A40: the survivor keeps both identifier sets; the merged record points to it. */
export function mergePatients(survivor: Patient, merged: Patient, now: Date): { survivor: Patient; merged: Patient } {
  const { all } = addIdentifiers(survivor.identifiers, merged.identifiers);
  return {
    survivor: { ...survivor, identifiers: all, updatedAt: now.toISOString() },
    merged: { ...merged, mergedInto: survivor.patientId, updatedAt: now.toISOString() },
  };
}
