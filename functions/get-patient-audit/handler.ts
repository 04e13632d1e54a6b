import * as z from 'zod';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { patientParams } from '../../shared/schemas/patient';
import { patientFor } from '../../shared/care/access/visible-records';

const query = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});

/**
 * GET /v1/patients/{id}/audit: the patient's audit trail, oldest first, a page at a time
 * (`nextCursor` → `?cursor=`). Read-only: no route changes or removes a record.
 */
export const handler = httpRoute({ params: patientParams, query }, async ({ params, query, caller, ports }) => {
  const patient = await patientFor(ports, caller, params.id);
  return json(
    200,
    await ports.audit.page(patient.patientId, query.cursor ? { limit: query.limit, cursor: query.cursor } : { limit: query.limit }),
  );
});
