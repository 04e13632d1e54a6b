import * as z from 'zod';
import { fromTokenOnly } from './identity';

export const careManagerParams = z.object({ careManagerId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a care manager id') });

/** PUT /v1/encounters/{id}/care-manager */
export const reassignBody = z.strictObject({
  careManagerId: z.string().min(1).max(64),
  reason: z.string().trim().min(1).max(500),
  by: z.string().trim().min(1).max(200),
  role: fromTokenOnly,
});
