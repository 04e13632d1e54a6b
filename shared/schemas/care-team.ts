import * as z from 'zod';
import { CARE_TEAM_ROLES } from '../domain/care-team';
import { fromTokenOnly } from './identity';

export const newMemberBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.enum(CARE_TEAM_ROLES),
  contact: z.string().trim().max(200).optional(),
  addedBy: z.string().trim().min(1).max(200),
});

export const leadBody = z.strictObject({ memberId: z.uuid('must be a care-team member id (UUID)'), role: fromTokenOnly });

export const messageBody = z.strictObject({
  author: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(4000),
});
