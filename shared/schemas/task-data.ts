import * as z from 'zod';
import { instant } from './time';
import { ASSESSED_NEEDS, DISCHARGE_DISPOSITIONS } from '../domain/discharge-plan';
import { TASK_OUTCOMES, type CareTask, type TaskType } from '../domain/tasks';

/**
 * What a person may send when completing each kind of task. Shared by the API (which rejects
 * bad data with 400) and the workflow steps (which read the same data after the resume).
 * Every field is optional: an empty completion means "recorded, nothing to add".
 */
// Strict: a misspelt field ("need") must be refused, not read as "no needs".
export const needsAssessmentData = z.strictObject({
  needs: z
    .array(z.enum(ASSESSED_NEEDS))
    .max(ASSESSED_NEEDS.length)
    .refine((needs) => new Set(needs).size === needs.length, 'must not repeat a need')
    .default([]),
  notes: z.string().max(4000).optional(),
  recordedBy: z.string().max(200).optional(),
});

export const dischargeOrderData = z.strictObject({
  disposition: z.enum(DISCHARGE_DISPOSITIONS).optional(),
  dischargeAt: instant.optional(),
  orderedBy: z.string().max(200).optional(),
});

export const followUpContactData = z.strictObject({
  method: z.enum(['phone', 'video', 'in-person', 'electronic']).optional(),
  reached: z.boolean().optional(),
  notes: z.string().max(4000).optional(),
});

export const notesOnlyData = z.strictObject({ notes: z.string().max(4000).optional() });

export const taskDataSchemas: Record<TaskType, z.ZodType<Record<string, unknown>>> = {
  'needs-assessment': needsAssessmentData,
  'patient-choice': notesOnlyData,
  'discharge-order': dischargeOrderData,
  'discharge-requirements': notesOnlyData,
  'pharmacist-review': notesOnlyData,
  'follow-up-contact': followUpContactData,
  'follow-up-visit': notesOnlyData,
  'plan-overdue': notesOnlyData,
  'review-care-plan': notesOnlyData,
  'needs-attention': notesOnlyData,
  escalation: notesOnlyData,
  'grievance-response': notesOnlyData,
  'qio-referral': notesOnlyData,
};

/**
 * What SendTaskSuccess hands back to the waiting workflow state: ids and the outcome only.
 * The person's data stays on the task record (no free text in execution history).
 */
export const taskCompletionOutput = z.object({
  taskId: z.string(),
  outcome: z.enum(TASK_OUTCOMES),
  /**
   * A discharge order's coded disposition (never free text): the state after the order routes
   * on it (a death or a departure against advice is recorded at once, 482.43 no longer applies).
   */
  disposition: z.enum(DISCHARGE_DISPOSITIONS).optional(),
});
export type TaskCompletionOutput = z.infer<typeof taskCompletionOutput>;

/** What a completed task hands to the waiting workflow: the outcome, and a discharge order's disposition. */
export function completionOutputOf(task: Pick<CareTask, 'taskId' | 'type' | 'outcome' | 'data'>): TaskCompletionOutput {
  const output: TaskCompletionOutput = { taskId: task.taskId, outcome: task.outcome ?? 'completed' };
  if (task.type !== 'discharge-order') return output;
  const order = dischargeOrderData.safeParse(task.data ?? {});
  return order.success && order.data.disposition ? { ...output, disposition: order.data.disposition } : output;
}
