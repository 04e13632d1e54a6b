import * as z from 'zod';
import { utcInstant as instant } from './time';
import { CONTACT_METHODS } from '../domain/follow-up';

const who = z.string().trim().min(1).max(200);

/** POST /v1/encounters/{id}/follow-up/contacts: one call or message to the patient or caregiver, reached or not. */
export const contactAttemptBody = z.strictObject({
  at: instant,
  method: z.enum(CONTACT_METHODS),
  reached: z.boolean(),
  by: who,
});

/** PUT /v1/encounters/{id}/follow-up/visit: the face-to-face visit after it took place. */
export const followUpVisitBody = z.strictObject({
  seenAt: instant,
  practitionerId: who,
  medicationsReconciledAt: instant.optional(),
});
