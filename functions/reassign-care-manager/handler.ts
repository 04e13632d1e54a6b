import { rosterEntry } from '../../shared/domain/caseloads';
import { ConflictError, PreconditionFailedError } from '../../shared/domain/errors';
import { siteConfig } from '../../shared/site-config';
import { recorderOf } from '../../shared/http/caller';
import { etag, requiredVersion } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { reassignBody } from '../../shared/schemas/caseloads';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * PUT /v1/encounters/{id}/care-manager (If-Match): moves the stay to another care manager's
 * caseload (409 when theirs is full) and hands them its open care-manager tasks. Each change is
 * a line in the patient's audit trail, naming the caller.
 */
export const handler = httpRoute({ params: encounterParams, body: reassignBody }, async ({ params, body, caller, headers, ports }) => {
  const expected = requiredVersion(headers['if-match'], 'encounter');
  const encounter = await encounterFor(ports, caller, params.id);
  if (encounter.version !== expected) throw new PreconditionFailedError('The encounter was changed since you read it; read it again');
  if (encounter.status === 'discharged' || encounter.status === 'cancelled')
    throw new ConflictError(`Encounter ${encounter.encounterId} is ${encounter.status}: it is in no caseload`);
  const to = rosterEntry(siteConfig().careManagers[caller.facilityId] ?? [], body.careManagerId);
  if (!to.units.includes(encounter.unit)) throw new ConflictError(`${to.careManagerId} does not cover unit ${encounter.unit}`);
  if (encounter.careManagerId === to.careManagerId)
    return json(200, { careManagerId: to.careManagerId, tasksMoved: 0 }, { etag: etag(encounter.version) });
  const { caseloads, tasks } = ports;
  const now = ports.now();
  const assignment = { reason: body.reason, by: body.by, recorder: recorderOf(caller), at: now.toISOString() };
  const next = await caseloads.reassign(encounter, to, now, assignment).catch((error: Error) => {
    throw error.message.includes('changed meanwhile')
      ? new PreconditionFailedError('The encounter was changed since you read it; read it again')
      : error;
  });
  const open = (await tasks.listByEncounter(encounter.encounterId, 'open')).filter((task) => task.ownerRole === 'care-manager');
  const moved = (await Promise.all(open.map((task) => tasks.reassign(task.taskId, to.careManagerId)))).filter(Boolean).length;
  return json(
    200,
    { careManagerId: to.careManagerId, previous: encounter.careManagerId ?? null, reason: body.reason, assignment, tasksMoved: moved },
    { etag: etag(next.version) },
  );
});
