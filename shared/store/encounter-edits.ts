import { PreconditionFailedError } from '../domain/errors';
import type { Encounter } from '../domain/encounter';
import type { Caller } from '../http/caller';
import { requiredVersion } from '../http/etag';
import { stores } from '.';
import type { EncounterChanges } from './encounter-store';
import { encounterFor } from './visible-records';

/**
 * A person's edit of an encounter: only against the version they read (If-Match). 428 without
 * one, 412 when someone — a colleague, the ADT feed or the workflow — changed it since.
 */
export async function editEncounter(
  caller: Caller,
  encounterId: string,
  ifMatch: string | undefined,
  changes: (current: Encounter) => EncounterChanges,
): Promise<Encounter> {
  const expected = requiredVersion(ifMatch, 'encounter');
  const current = await encounterFor(caller, encounterId);
  const stale = () => new PreconditionFailedError('The encounter was changed since you read it; read it again');
  if (current.version !== expected) throw stale();
  // Outside the try: a refusal by `changes` is the caller's answer, not a lost race.
  const change = changes(current);
  try {
    return await stores().encounters.update(current, change, new Date());
  } catch (error) {
    if ((error as Error).name === 'ConflictError') throw stale();
    throw error;
  }
}
