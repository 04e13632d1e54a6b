import { recorderOf } from '../../shared/http/caller';
import { nextVersion } from '../../shared/domain/care-plan';
import { PreconditionFailedError } from '../../shared/domain/errors';
import { etag, requiredVersion } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { carePlanBody } from '../../shared/schemas/care-plan';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * PUT /v1/encounters/{id}/care-plan: writes the next version. If-Match names the version the
 * author read ("0" for the first plan); anything else is 412 and nothing is written.
 */
export const handler = httpRoute({ params: encounterParams, body: carePlanBody }, async ({ params, body, caller, headers, ports }) => {
  const expected = requiredVersion(headers['if-match'], 'care plan ("0" for a new plan)');
  await encounterFor(ports, caller, params.id);
  const current = await ports.carePlans.current(params.id);
  if ((current?.version ?? 0) !== expected) throw new PreconditionFailedError('The care plan was changed since you read it; read it again');
  const { author, ...content } = body;
  const next = { ...nextVersion(current, content, author, ports.now(), params.id), by: recorderOf(caller) };
  await ports.carePlans.save(next);
  return json(current ? 200 : 201, next, { etag: etag(next.version) });
});
