import * as z from 'zod';
import { TASK_STATUSES } from '../../shared/domain/tasks';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { stores } from '../../shared/store';
import { encounterFor } from '../../shared/store/visible-records';

const query = z.object({
  encounterId: z.uuid('must be an encounter id (UUID)'),
  status: z.enum(TASK_STATUSES).optional(),
});

/** GET /v1/tasks?encounterId=…&status=open: the care team's work items for one encounter. */
export const handler = httpRoute({ query }, async ({ query, caller }) => {
  await encounterFor(caller, query.encounterId);
  const items = await stores().tasks.listByEncounter(query.encounterId, query.status);
  return json(200, { items });
});
