import * as z from 'zod';
import { decisionProblems, MEDICATION_DECISIONS } from '../domain/medications/reconciliation';

const regimen = z.strictObject({
  dose: z.string().trim().min(1).max(100),
  route: z.string().trim().min(1).max(50).optional(),
  frequency: z.string().trim().min(1).max(100).optional(),
});

/**
 * Who acts and in which role comes from the verified token only; a body that says otherwise is
 * refused (400 naming the field) rather than silently ignored, so a client learns it is not trusted.
 */
const fromTokenOnly = z.never({ error: 'is not accepted: who acts, and in which role, comes from the token' }).optional();

/** A display name the client may add; it is shown beside the token's identity and grants nothing. */
const displayName = z.string().trim().min(1).max(200).optional();

const drugName = z.string().trim().min(2).max(100).regex(/^[A-Za-z][A-Za-z0-9 '\-]*$/, 'must be a generic drug name');

export const medicationReconciliationBody = z
  .strictObject({
    medications: z
      .array(
        z.strictObject({
          drug: drugName,
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
      const drug = m.drug.toLowerCase();
      if (seen.has(drug)) ctx.addIssue({ code: 'custom', path: ['medications', index, 'drug'], message: 'is listed twice' });
      seen.add(drug);
    });
  });

export const acknowledgementBody = z.strictObject({
  interactionId: z.string().trim().min(1).max(300),
  role: fromTokenOnly,
  by: displayName,
  reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(2000),
});
