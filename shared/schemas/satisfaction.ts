import * as z from 'zod';
import { calendarMonth as month, utcInstant } from './time';
import { SURVEY_CHANNELS } from '../domain/satisfaction';

/** PUT /v1/encounters/{id}/satisfaction-survey */
export const surveyAnswersBody = z.strictObject({
  answers: z.record(z.string().max(64), z.number().finite().gt(-1e6).lt(1e6)),
  answeredAt: utcInstant,
  channel: z.enum(SURVEY_CHANNELS),
});

/** GET /v1/satisfaction?unit=&from=&to= (months of discharge) */
export const satisfactionQuery = z
  .object({ unit: z.string().min(1).max(64).optional(), from: month, to: month })
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] });
