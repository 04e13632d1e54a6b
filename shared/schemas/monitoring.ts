import * as z from 'zod';
import { instant } from './time';
import { loinc, measurement } from './care-plan';

export const observationBody = z.strictObject({
  code: loinc,
  value: measurement,
  unit: z.string().trim().min(1).max(40),
  observedAt: instant,
  recordedBy: z.string().trim().min(1).max(200),
});

export const observationQuery = z.object({ code: loinc });
