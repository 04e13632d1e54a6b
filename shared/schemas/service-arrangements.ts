import * as z from 'zod';
import { instant } from './time';
import { fromTokenOnly } from './identity';
import { ARRANGEMENT_STATUSES } from '../domain/service-arrangements';

export const serviceArrangementsBody = z.strictObject({
  arrangements: z
    .array(
      z.strictObject({
        service: z.string().trim().min(1).max(60),
        status: z.enum(ARRANGEMENT_STATUSES),
        provider: z.string().trim().min(1).max(200).optional(),
        scheduledFor: instant.optional(),
        reason: z.string().trim().min(3).max(1000).optional(),
        arrangedBy: z.string().trim().min(1).max(200),
        role: fromTokenOnly,
      }),
    )
    .min(1)
    .max(20),
  role: fromTokenOnly,
});
