import * as z from 'zod';
import { fromTokenOnly } from './identity';

export const completeTaskParams = z.object({ taskId: z.uuid('must be a task id (UUID)') });

// Strict: {"dat": …} for {"data": …} must be refused, not read as "nothing to add".
export const completeTaskBody = z.strictObject({
  /** People complete tasks; the other outcomes are set by the system. */
  outcome: z.literal('completed'),
  /** Checked against the task type's own schema once the task is loaded. */
  data: z.record(z.string(), z.unknown()).optional(),
  /** Who completed it, and in which role, is the token's (`completedBy`): a discharge order is signed by the token. */
  role: fromTokenOnly,
  completedBy: fromTokenOnly,
});
export type CompleteTaskBody = z.infer<typeof completeTaskBody>;
