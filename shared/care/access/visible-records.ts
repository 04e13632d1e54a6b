import type { Encounter, Patient } from '../../domain/encounter';
import { NotFoundError } from '../../domain/errors';
import { visibleTo, type Caller } from '../../http/caller';
import { stores } from '../../store';

/** A patient of the caller's facility, or 404 (another facility's patient looks missing). */
export async function patientFor(caller: Caller, patientId: string): Promise<Patient> {
  return visibleTo(caller, await stores().patients.get(patientId), () => new NotFoundError(`Patient ${patientId} not found`));
}

/** An encounter of the caller's facility, or 404. */
export async function encounterFor(caller: Caller, encounterId: string): Promise<Encounter> {
  return visibleTo(caller, await stores().encounters.get(encounterId), () => new NotFoundError(`Encounter ${encounterId} not found`));
}
