import { recorderOf } from '../../shared/http/caller';
import { isOpen } from '../../shared/domain/education';
import { NotFoundError, PreconditionFailedError } from '../../shared/domain/errors';
import { etag, requiredVersion } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { educationItemParams, teachBackBody } from '../../shared/schemas/education';
import { encounterFor } from '../../shared/care/access/visible-records';

/** PUT /v1/encounters/{id}/education/{itemId}/teach-back (If-Match): how the teach-back went. */
export const handler = httpRoute({ params: educationItemParams, body: teachBackBody }, async ({ params, body, caller, headers, ports }) => {
  const expected = requiredVersion(headers['if-match'], 'education item');
  await encounterFor(ports, caller, params.id);
  const current = (await ports.education.list(params.id)).find((item) => item.itemId === params.itemId);
  if (!current) throw new NotFoundError(`Education item ${params.itemId} not found`);
  if (current.version !== expected) throw new PreconditionFailedError('The education item was changed since you read it; read it again');
  const now = ports.now().toISOString();
  const next = { ...current, teachBack: { ...body, by: recorderOf(caller), at: now }, version: current.version + 1, updatedAt: now };
  await ports.education.put(next, current.version);
  return json(200, { ...next, open: isOpen(next) }, { etag: etag(next.version) });
});
