import type { Encounter, Patient } from '../../domain/encounter';
import { NotFoundError } from '../../domain/errors';
import { visibleTo, type Caller } from '../../http/caller';
import type { Ports } from '../ports';

/** The reads a visibility check needs. */
export type RecordPorts = { patients: Pick<Ports['patients'], 'get'>; encounters: Pick<Ports['encounters'], 'get'> };

/** A patient of the caller's facility, or 404 (another facility's patient looks missing). */
export async function patientFor(ports: Pick<RecordPorts, 'patients'>, caller: Caller, patientId: string): Promise<Patient> {
  return visibleTo(caller, await ports.patients.get(patientId), () => new NotFoundError(`Patient ${patientId} not found`));
}

/** An encounter (the whole stay) of the caller's facility, or 404. */
export async function encounterFor(ports: Pick<RecordPorts, 'encounters'>, caller: Caller, encounterId: string): Promise<Encounter> {
  return visibleTo(caller, await ports.encounters.get(encounterId), () => new NotFoundError(`Encounter ${encounterId} not found`));
}
