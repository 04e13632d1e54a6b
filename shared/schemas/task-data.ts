import { z } from 'zod';
import { ASSESSED_NEEDS, DISCHARGE_DISPOSITIONS } from '../domain/discharge-plan';
import type { TaskType } from '../domain/tasks';

/**
 * What a person may send when completing each kind of task. Shared by the API (which rejects
 * bad data with 400) and the workflow steps (which read the same data after the resume).
 * Every field is optional: an empty completion means "recorded, nothing to add".
 */
export const needsAssessmentData = z.object({
  needs: z.array(z.enum(ASSESSED_NEEDS)).max(ASSESSED_NEEDS.length).default([]),
  notes: z.string().max(4000).optional(),
  recordedBy: z.string().max(200).optional(),
});

export const dischargeOrderData = z.object({
  disposition: z.enum(DISCHARGE_DISPOSITIONS).optional(),
  dischargeAt: z.iso.datetime({ offset: true }).optional(),
  orderedBy: z.string().max(200).optional(),
});

export const followUpContactData = z.object({
  method: z.enum(['phone', 'video', 'in-person', 'electronic']).optional(),
  reached: z.boolean().optional(),
  notes: z.string().max(4000).optional(),
});

export const taskDataSchemas: Record<TaskType, z.ZodType<Record<string, unknown>>> = {
  'needs-assessment': needsAssessmentData,
  'discharge-order': dischargeOrderData,
  'follow-up-contact': followUpContactData,
};

/** What SendTaskSuccess hands back to the waiting workflow state. */
export const taskCompletionOutput = z.object({
  taskId: z.string(),
  outcome: z.literal('completed'),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type TaskCompletionOutput = z.infer<typeof taskCompletionOutput>;
