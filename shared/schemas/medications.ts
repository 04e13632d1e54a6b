import * as z from 'zod';
import { decisionProblems, MEDICATION_DECISIONS } from '../domain/medications/reconciliation';
import { ingredientByRxcui, ingredientsOf } from '../domain/medications/vocabulary';
import { displayName, fromTokenOnly } from './identity';

const regimen = z.strictObject({
  dose: z.string().trim().min(1).max(100),
  route: z.string().trim().min(1).max(50).optional(),
  frequency: z.string().trim().min(1).max(100).optional(),
});

/** A name as written: generic, brand, with its salt, or a combination ("sulfamethoxazole/trimethoprim"). */
const drugName = z
  .string()
  .trim()
  .min(2)
  .max(100)
  .regex(/^[A-Za-z][A-Za-z0-9 '.,()/+-]*$/, "must be a drug name (letters, digits, spaces and ' . , ( ) / + -)");
const rxcui = z
  .string()
  .trim()
  .regex(/^\d{1,10}$/, 'must be an RxNorm concept id (digits)');

export const medicationReconciliationBody = z
  .strictObject({
    medications: z
      .array(
        z.strictObject({
          drug: drugName.optional(),
          rxcui: rxcui.optional(),
          decision: z.enum(MEDICATION_DECISIONS),
          home: regimen.optional(),
          discharge: regimen.optional(),
          reason: z.string().trim().min(3, 'must say why').max(1000),
        }),
      )
      .max(100),
    reconciledBy: displayName,
    role: fromTokenOnly,
  })
  .superRefine((body, ctx) => {
    for (const problem of decisionProblems(body.medications)) {
      ctx.addIssue({ code: 'custom', path: ['medications', problem.index, problem.field], message: problem.reason });
    }
    const seen = new Set<string>();
    body.medications.forEach((m, index) => {
      if (!m.drug && !m.rxcui)
        ctx.addIssue({ code: 'custom', path: ['medications', index, 'drug'], message: 'is required unless rxcui is given' });
      const key = (m.drug ?? `rxcui:${m.rxcui}`).toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['medications', index, 'drug'], message: 'is listed twice' });
      seen.add(key);
      // A code and a name that name different ingredients: one of them is wrong, and which one matters.
      const byCode = m.rxcui ? ingredientByRxcui(m.rxcui) : undefined;
      const byName = m.drug ? ingredientsOf(m.drug) : undefined;
      if (byCode && byName && !byName.some((ingredient) => ingredient.name === byCode.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['medications', index, 'rxcui'],
          message: `is ${byCode.name}, which ${m.drug} does not contain`,
        });
      }
    });
  });

/**
 * One of: `interactionId` (acknowledge an interaction), `allergyAlertId` (acknowledge an allergy
 * alert) or `drug` (a pharmacist confirms a medication the vocabulary does not know, named as written).
 */
export const acknowledgementBody = z
  .strictObject({
    interactionId: z.string().trim().min(1).max(300).optional(),
    allergyAlertId: z.string().trim().min(1).max(300).optional(),
    drug: z.string().trim().min(1).max(100).optional(),
    role: fromTokenOnly,
    by: displayName,
    reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(2000),
  })
  .superRefine((body, ctx) => {
    if ([body.interactionId, body.allergyAlertId, body.drug].filter(Boolean).length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['interactionId'],
        message: 'give one of interactionId, allergyAlertId or drug (an unrecognised medication to confirm)',
      });
    }
  });
