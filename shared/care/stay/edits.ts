import { PreconditionFailedError } from '../../domain/errors';
import type { Encounter } from '../../domain/encounter';
import { partOfField, partVersion, STAY_PARTS, type StayPart } from '../../domain/stay-parts';
import type { Caller } from '../../http/caller';
import { requiredVersion } from '../../http/etag';
import type { EncounterChanges } from '../../store/encounter-store';
import type { Ports } from '../ports';
import { encounterFor } from '../access/visible-records';

/** What an edit of a stay needs: the stay's repository and the clock. */
export type EditPorts = { encounters: Pick<Ports['encounters'], 'get' | 'update'>; now: Ports['now'] };

type Changes = (current: Encounter) => EncounterChanges;

/**
 * A person's edit of a stay, only against the version they read (If-Match): 428 without one,
 * 412 when someone — a colleague, the ADT feed or the workflow — changed the same record since.
 * `version` picks the record's version from the stay as read; the write itself is conditional on
 * each record it touches, so a race between read and write is a 412 too.
 */
async function edit(
  ports: EditPorts,
  caller: Caller,
  encounterId: string,
  ifMatch: string | undefined,
  what: string,
  version: (stay: Encounter) => number,
  changes: Changes,
  hint = '',
): Promise<Encounter> {
  const expected = requiredVersion(ifMatch, `${what}${hint}`);
  const current = await encounterFor(ports, caller, encounterId);
  const stale = () => new PreconditionFailedError(`Someone changed the ${what} since you read it; read it again`);
  if (version(current) !== expected) throw stale();
  // Outside the try: a refusal by `changes` is the caller's answer, not a lost race.
  const change = changes(current);
  try {
    return await ports.encounters.update(current, change, ports.now());
  } catch (error) {
    if ((error as Error).name === 'ConflictError') throw stale();
    throw error;
  }
}

/** An edit of the encounter record itself (its ADT facts, lead, care manager): If-Match is the encounter's ETag. */
export function editEncounter(
  ports: EditPorts,
  caller: Caller,
  encounterId: string,
  ifMatch: string | undefined,
  changes: Changes,
): Promise<Encounter> {
  return edit(
    ports,
    caller,
    encounterId,
    ifMatch,
    'encounter',
    (stay) => stay.version,
    (current) => {
      const change = changes(current);
      const parts = Object.keys(change.fields).filter((field) => partOfField(field));
      if (parts.length) throw new Error(`An encounter edit changed fields of a part (${parts.join(', ')}): edit the part`);
      return change;
    },
  );
}

/**
 * An edit of one part of a stay (shared/domain/stay-parts.ts): If-Match is that part's ETag ("0"
 * before its first write), and only its record is written, so edits of different parts by
 * different people never collide.
 */
export function editStayPart(
  ports: EditPorts,
  caller: Caller,
  encounterId: string,
  part: StayPart,
  ifMatch: string | undefined,
  changes: Changes,
): Promise<Encounter> {
  const what = STAY_PARTS[part].path.replace(/-/g, ' ');
  const onlyThisPart = (current: Encounter) => {
    const change = changes(current);
    const strays = Object.keys(change.fields).filter((field) => partOfField(field) !== part);
    if (strays.length || change.status) throw new Error(`An edit of ${part} changed other fields (${strays.join(', ') || 'status'})`);
    return change;
  };
  return edit(
    ports,
    caller,
    encounterId,
    ifMatch,
    what,
    (stay) => partVersion(stay, part),
    onlyThisPart,
    ` (GET /v1/encounters/${encounterId}/${STAY_PARTS[part].path}; "0" before the first)`,
  );
}
