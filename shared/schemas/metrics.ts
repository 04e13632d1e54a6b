import * as z from 'zod';
import { calendarDate as day } from './time';

const MAX_DAYS = 366;

/** GET /v1/metrics?facility=&unit=&from=&to= (the facility's local dates, inclusive) */
export const metricsQuery = z
  .object({
    facility: z.string().min(1).max(64).optional(),
    unit: z
      .string()
      .min(1)
      .max(64)
      .refine((unit) => unit !== '*', 'must name a unit (leave it out for every unit)')
      .optional(),
    from: day,
    to: day,
  })
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) < MAX_DAYS * 86_400_000, {
    message: `the period is at most ${MAX_DAYS} days`,
    path: ['to'],
  });
