import { NotFoundError } from '../../shared/domain/errors';
import { STAY_VIEWS, viewFor, project } from '../../shared/domain/access';
import { fieldsOfPart, partOfPath, partVersion, STAY_PARTS, type StayPart } from '../../shared/domain/stay-parts';
import type { Encounter } from '../../shared/domain/encounter';
import { ForbiddenError } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** The body each part's GET answers with: the same shape its write answers with. */
const BODY: Partial<Record<StayPart, (stay: Encounter) => unknown>> = {
  patientChoice: (stay) => ({ choiceList: stay.choiceList, patientChoice: stay.patientChoice }),
  serviceArrangements: (stay) => ({ services: stay.dischargePlan?.services ?? [], arrangements: stay.serviceArrangements }),
};

/**
 * GET /v1/encounters/{id}/<part> for each separately versioned part of a stay
 * (shared/domain/stay-parts.ts; the routes are in infra/routes): the part as the caller's role may
 * see it, with the part's own version as ETag — the If-Match its writes take. 404 before the
 * first write (write it with If-Match "0"); 403 to a role whose view shows nothing of the part.
 */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, routeKey, ports }) => {
  const path = routeKey.split('/').at(-1) ?? '';
  const part = partOfPath(path);
  if (!part) throw new Error(`Route ${routeKey} names no part of a stay`);
  // Another facility's stay is missing (404) before anything is said about the caller's role.
  const stay = await encounterFor(ports, caller, params.id);
  // The route's policy admits only roles that see the part; the view is checked again here so a
  // route given a wider policy still shows nothing a role may not see.
  const view = viewFor(STAY_VIEWS, caller.roles);
  if (view !== 'whole' && !STAY_PARTS[part].fields.some((field) => field in view))
    throw new ForbiddenError(`Your role does not see the ${path.replace(/-/g, ' ')}`);
  const version = partVersion(stay, part);
  if (version === 0) throw new NotFoundError(`Encounter ${params.id} has no ${path.replace(/-/g, ' ')} yet; write it with If-Match: "0"`);
  const seen = project(stay, view) as Encounter;
  const fields = STAY_PARTS[part].fields;
  const body =
    BODY[part]?.(seen) ?? (fields.length === 1 ? seen[fields[0]!] : fieldsOfPart(part, seen as unknown as Record<string, unknown>));
  return json(200, body, { etag: etag(version) });
});
