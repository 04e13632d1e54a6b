import * as z from 'zod';
import {
  ALLERGY_CATEGORIES,
  ALLERGY_CLINICAL_STATUSES,
  ALLERGY_CRITICALITIES,
  ALLERGY_SEVERITIES,
  ALLERGY_TYPES,
  ALLERGY_VERIFICATION_STATUSES,
} from '../domain/medications/allergies';
import { ingredientByRxcui, ingredientsOf } from '../domain/medications/vocabulary';
import { fromTokenOnly } from './identity';

const fromClockOnly = z.never({ error: 'is not accepted: when an allergy is recorded comes from the clock' }).optional();

const entry = z
  .strictObject({
    allergyId: z.uuid('must be the id of an entry of this list').optional(),
    substance: z.strictObject({
      /** A drug as written (generic, brand, salt), a drug class ("penicillins", "sulfa"), or a food or other substance. */
      text: z.string().trim().min(2).max(200).optional(),
      rxcui: z
        .string()
        .trim()
        .regex(/^\d{1,10}$/, 'must be an RxNorm concept id (digits)')
        .optional(),
    }),
    category: z.enum(ALLERGY_CATEGORIES),
    type: z.enum(ALLERGY_TYPES).optional(),
    reaction: z.string().trim().min(2).max(500).optional(),
    severity: z.enum(ALLERGY_SEVERITIES).optional(),
    criticality: z.enum(ALLERGY_CRITICALITIES).optional(),
    clinicalStatus: z.enum(ALLERGY_CLINICAL_STATUSES).optional(),
    verificationStatus: z.enum(ALLERGY_VERIFICATION_STATUSES),
    note: z.string().trim().min(1).max(2000).optional(),
    recorder: fromTokenOnly,
    recordedAt: fromClockOnly,
  })
  .superRefine((e, ctx) => {
    if (!e.substance.text && !e.substance.rxcui)
      ctx.addIssue({ code: 'custom', path: ['substance', 'text'], message: 'is required unless rxcui is given' });
    if (e.substance.rxcui && e.category !== 'medication')
      ctx.addIssue({ code: 'custom', path: ['substance', 'rxcui'], message: 'names a drug: the category must be medication' });
    // A code and a name that name different drugs: one of them is wrong, and which one matters.
    const byCode = e.substance.rxcui ? ingredientByRxcui(e.substance.rxcui) : undefined;
    const byName = e.substance.text ? ingredientsOf(e.substance.text) : undefined;
    if (byCode && byName && !byName.some((ingredient) => ingredient.name === byCode.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['substance', 'rxcui'],
        message: `is ${byCode.name}, which ${e.substance.text} does not contain`,
      });
    }
    // FHIR R4 ait-1/ait-2: a clinical status unless the entry was entered in error, and none if it was.
    if (e.verificationStatus === 'entered-in-error' && e.clinicalStatus)
      ctx.addIssue({ code: 'custom', path: ['clinicalStatus'], message: 'must be absent for an entry entered in error' });
    if (e.verificationStatus !== 'entered-in-error' && !e.clinicalStatus)
      ctx.addIssue({ code: 'custom', path: ['clinicalStatus'], message: 'is required (active, inactive or resolved)' });
  });

/**
 * The whole list (PUT with If-Match, "0" for the first). `noKnownDrugAllergies: true` is the
 * explicit statement; an absent list means nobody asked yet.
 */
export const allergyListBody = z.strictObject({
  noKnownDrugAllergies: z.boolean(),
  entries: z.array(entry).max(100),
  /** A display name the client may add; identity is the token's. */
  recordedBy: z.string().trim().min(1).max(200).optional(),
  role: fromTokenOnly,
});
export type AllergyListBody = z.infer<typeof allergyListBody>;
