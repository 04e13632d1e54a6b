import * as z from 'zod';
import { utcInstant as instant } from './time';
import { GRIEVANCE_CATEGORIES, GRIEVANCE_CHANNELS, GRIEVANCE_SEVERITIES } from '../domain/grievances';

const who = z.string().trim().min(1).max(200);

export const grievanceParams = z.object({
  id: z.uuid('must be an encounter id (UUID)'),
  grievanceId: z.uuid('must be a grievance id (UUID)'),
});

/** POST /v1/encounters/{id}/grievances */
export const fileGrievanceBody = z.strictObject({
  channel: z.enum(GRIEVANCE_CHANNELS),
  category: z.enum(GRIEVANCE_CATEGORIES),
  severity: z.enum(GRIEVANCE_SEVERITIES),
  raisedBy: z.enum(['patient', 'representative', 'family', 'other']),
  description: z.string().trim().min(1).max(8000),
  namedContact: who,
  /** When the hospital received it (default: now); the deadlines count from it. */
  receivedAt: instant.optional(),
});

export const acknowledgeGrievanceBody = z.strictObject({ acknowledgedAt: instant, by: who });
export const grievanceNoteBody = z.strictObject({ text: z.string().trim().min(1).max(4000), by: who });
export const grievanceDecisionBody = z.strictObject({
  contactPerson: who,
  stepsTaken: z.array(z.string().trim().min(1).max(1000)).min(1).max(50),
  results: z.string().trim().min(1).max(8000),
  completedAt: instant,
  writtenBy: who,
});
