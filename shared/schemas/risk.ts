import * as z from 'zod';
import { RISK_TIERS } from '../domain/risk/encounter-risk';
import { displayName, fromTokenOnly } from './identity';

const count = z.number().int().min(0).max(1000);

export const riskInputsBody = z.strictObject({
  conditions: z
    .array(z.string().regex(/^[A-TV-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/i, 'must be an ICD-10 code such as I50.9'))
    .max(200)
    .default([]),
  /** A clinician's counts override the ones Carepath derives from the stays it holds; omit them to use those. */
  edVisitsPrior6Months: count.optional(),
  admissionsPrior12Months: count.optional(),
  /** g/dL */
  haemoglobinAtDischarge: z.number().min(1).max(30).optional(),
  /** mmol/L */
  sodiumAtDischarge: z.number().min(90).max(200).optional(),
  oncologyService: z.boolean().default(false),
  procedureDuringStay: z.boolean().default(false),
});

export const riskOverrideBody = z.strictObject({
  tier: z.enum(RISK_TIERS),
  reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(2000),
  /** A display name beside the token's identity (`by`); grants nothing. */
  clinician: displayName,
  role: fromTokenOnly,
});
