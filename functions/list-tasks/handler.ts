import * as z from 'zod';
import { minimumNecessaryTask } from '../../shared/domain/access';
import { TASK_STATUSES } from '../../shared/domain/tasks';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterFor } from '../../shared/care/access/visible-records';

const query = z.object({
  encounterId: z.uuid('must be an encounter id (UUID)'),
  status: z.enum(TASK_STATUSES).optional(),
});

/** GET /v1/tasks?encounterId=…&status=open: the care team's work items for one encounter (without completion data for roles that may not read the clinical record). */
export const handler = httpRoute({ query }, async ({ query, caller, ports }) => {
  await encounterFor(ports, caller, query.encounterId);
  const items = await ports.tasks.listByEncounter(query.encounterId, query.status);
  return json(200, { items: items.map((task) => minimumNecessaryTask(task, caller.roles)) });
});
