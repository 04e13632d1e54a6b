import * as z from 'zod';
import { utcInstant } from './time';
import { ASSESSMENT_FINDINGS, SUGGESTED_SERVICES, type AssessmentDomain } from '../domain/needs-assessment';
import { fromTokenOnly } from './identity';

const domainSchema = (domain: AssessmentDomain) =>
  z.strictObject({
    findings: z
      .array(z.enum(ASSESSMENT_FINDINGS[domain]))
      .refine((findings) => new Set(findings).size === findings.length, 'must not repeat a finding')
      .default([]),
    notes: z.string().max(4000).optional(),
  });

export const needsAssessmentBody = z.strictObject({
  domains: z.strictObject(
    Object.fromEntries((Object.keys(ASSESSMENT_FINDINGS) as AssessmentDomain[]).map((d) => [d, domainSchema(d).optional()])) as {
      [D in AssessmentDomain]: z.ZodOptional<ReturnType<typeof domainSchema>>;
    },
  ),
  /** Display only: who recorded it is the token's (`by`). */
  assessedBy: z.string().trim().min(1).max(200),
  role: fromTokenOnly,
  /** When the assessment was done, if it is documented later. */
  assessedAt: utcInstant.optional(),
});
export type NeedsAssessmentBody = z.infer<typeof needsAssessmentBody>;

export const suggestionDecisionBody = z
  .strictObject({
    outcome: z.enum(['accepted', 'rejected']),
    reason: z.string().trim().min(1).max(2000).optional(),
    /** Display only: who decided is the token's (`decision.by`). */
    decidedBy: z.string().trim().min(1).max(200),
    role: fromTokenOnly,
  })
  .refine((body) => body.outcome !== 'rejected' || !!body.reason, { path: ['reason'], message: 'is required when rejecting a suggestion' });

export const suggestionParams = z.object({
  id: z.uuid('must be an encounter id (UUID)'),
  service: z.enum(SUGGESTED_SERVICES),
});
