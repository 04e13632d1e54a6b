import * as z from 'zod';
import { calendarDate } from './time';
import { CARE_PLAN_STATUSES, GOAL_STATUSES, INTERVENTION_OWNERS, INTERVENTION_STATUSES } from '../domain/care-plan';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A LOINC code: digits, a dash, a check digit (e.g. 8867-4). */
export const loinc = z.string().regex(/^\d{1,7}-\d$/, 'must be a LOINC code such as 8867-4');
/**
 * A measured value within what DynamoDB stores (0, or 1e-130 ≤ |x| < 1e126), with room to spare
 * at both ends: no clinical measure comes near 10^12 or needs digits below 10^-12.
 */
export const measurement = z
  .number()
  .finite()
  .gt(-1e12, 'must be greater than -10^12')
  .lt(1e12, 'must be less than 10^12')
  .refine((x) => x === 0 || Math.abs(x) >= 1e-12, 'must be 0 or at least 10^-12 in size');

export const carePlanBody = z.strictObject({
  status: z.enum(CARE_PLAN_STATUSES),
  problems: z
    .array(
      z.strictObject({
        description: text(500),
        code: z
          .string()
          .regex(/^[A-Z0-9.]{3,20}$/i, 'must be an ICD-10 or SNOMED CT code')
          .optional(),
        goals: z
          .array(
            z.strictObject({
              description: text(500),
              target: text(500).optional(),
              dueDate: calendarDate.optional(),
              status: z.enum(GOAL_STATUSES),
            }),
          )
          .max(20),
        interventions: z
          .array(
            z.strictObject({
              description: text(500),
              ownerRole: z.enum(INTERVENTION_OWNERS),
              dueDate: calendarDate.optional(),
              status: z.enum(INTERVENTION_STATUSES),
            }),
          )
          .max(40),
      }),
    )
    .max(30),
  thresholds: z
    .array(
      z
        .strictObject({
          code: loinc,
          unit: text(40),
          min: measurement.optional(),
          max: measurement.optional(),
          label: text(200).optional(),
        })
        .refine((t) => t.min !== undefined || t.max !== undefined, { message: 'needs min, max or both' }),
    )
    .max(50)
    .optional(),
  author: text(200),
});
