import { NotFoundError } from '../../domain/errors';
import type { Grievance } from '../../domain/grievances';
import type { Caller } from '../../http/caller';
import type { Ports } from '../ports';
import { keys } from '../../store/keys';
import type { Stored } from '../../store/token-holding-store';
import { encounterFor } from '../access/visible-records';

/**
 * A change to a grievance through the API by someone who may see its stay: applied over the
 * version read (re-read on a lost race); `resume` marks it for the stream to hand to the waiting
 * execution, so a crash after this write still resumes it.
 */
export async function changeGrievanceFor(
  ports: Pick<Ports, 'encounters' | 'grievances'>,
  caller: Caller,
  encounterId: string,
  grievanceId: string,
  change: (grievance: Grievance) => Grievance,
  resume: boolean,
): Promise<Stored<Grievance>> {
  await encounterFor(ports, caller, encounterId);
  const { grievances } = ports;
  const key = keys.grievance(encounterId, grievanceId);
  if (!(await grievances.get(key))) throw new NotFoundError(`Grievance ${grievanceId} not found`);
  return grievances.change(key, `Grievance ${grievanceId}`, ({ record }) => {
    const next = change(record);
    if (next === record) return undefined;
    return { record: resume ? { ...next, resume: 'pending', awaiting: undefined } : next };
  });
}
