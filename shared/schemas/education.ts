import * as z from 'zod';
import { EDUCATION_AUDIENCES, EDUCATION_METHODS, TEACH_BACK_OUTCOMES } from '../domain/education';
import { languageTag } from './goals';

export const newEducationBody = z.strictObject({
  topic: z.string().trim().min(3).max(200),
  audience: z.enum(EDUCATION_AUDIENCES),
  language: languageTag,
  method: z.enum(EDUCATION_METHODS),
});

export const teachBackBody = z.strictObject({
  outcome: z.enum(TEACH_BACK_OUTCOMES),
  educator: z.string().trim().min(1).max(200),
  notes: z.string().max(2000).optional(),
});

export const educationItemParams = z.object({
  id: z.uuid('must be an encounter id (UUID)'),
  itemId: z.uuid('must be an education item id (UUID)'),
});
