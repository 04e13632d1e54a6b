import * as z from 'zod';
import { calendarDate } from './time';
import { CARE_GOAL_LEVELS, CODE_STATUSES, DIRECTIVE_TYPES } from '../domain/goals';
import { fromTokenOnly } from './identity';

const text = (max: number) => z.string().trim().min(1).max(max);

/** BCP 47 language tag: "en", "es", "zh-Hant". */
export const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or es');

export const goalsAndPreferencesBody = z.strictObject({
  goals: z.array(text(500)).max(20).default([]),
  treatmentPreferences: z.array(text(500)).max(20).default([]),
  caregiver: z
    .strictObject({
      name: text(200),
      relationship: text(100),
      phone: z
        .string()
        .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number')
        .optional(),
      available: z.boolean(),
    })
    .optional(),
  representative: z
    .strictObject({
      name: text(200),
      relationship: text(100),
      authority: z.enum(['healthcare-proxy', 'guardian', 'power-of-attorney', 'other']),
    })
    .optional(),
  preferredLanguage: languageTag,
  interpreterNeeded: z.boolean(),
  preferredPostAcuteProviders: z.array(text(200)).max(20).default([]),
  /** Display only: who recorded it is the token's (`by`). */
  recordedBy: text(200),
  role: fromTokenOnly,
});

export const goalsOfCareBody = z.strictObject({
  level: z.enum(CARE_GOAL_LEVELS),
  codeStatus: z.enum(CODE_STATUSES),
  directives: z
    .array(z.strictObject({ type: z.enum(DIRECTIVE_TYPES), documentReference: text(500).optional(), signedOn: calendarDate.optional() }))
    .max(20)
    .default([]),
  /** Display only: who recorded it is the token's (`by`), a physician or an EHR relaying one. */
  recordedBy: text(200),
  role: fromTokenOnly,
});
