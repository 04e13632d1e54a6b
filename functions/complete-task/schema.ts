import { z } from 'zod';
import { TASK_OUTCOMES } from '../../shared/domain/tasks';

export const completeTaskParams = z.object({ taskId: z.uuid('must be a task id (UUID)') });

export const completeTaskBody = z.object({
  outcome: z.enum(TASK_OUTCOMES),
  /** Checked against the task type's own schema once the task is loaded. */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type CompleteTaskBody = z.infer<typeof completeTaskBody>;
