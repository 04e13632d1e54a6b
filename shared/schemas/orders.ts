import * as z from 'zod';
import { instant } from './time';
import { CODE_SYSTEMS } from '../domain/orders';
import { fromTokenOnly } from './identity';

export const placeOrderBody = z.strictObject({
  /** The ordering system's order number (HL7 ORC-2); resending it returns the same order. */
  placerOrderNumber: z.string().trim().min(1).max(64),
  code: z.strictObject({
    system: z.enum([CODE_SYSTEMS.loinc, CODE_SYSTEMS.cpt], `must be ${CODE_SYSTEMS.loinc} or ${CODE_SYSTEMS.cpt}`),
    code: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z-]{0,15}$/, 'must be a LOINC or CPT code'),
    display: z.string().trim().min(1).max(200).optional(),
  }),
  /** An attribution (the EHR's ordering practitioner); who placed the order is the token's (`placedBy`). */
  orderingPractitioner: z.strictObject({ id: z.string().trim().min(1).max(64), name: z.string().trim().min(1).max(200).optional() }),
  role: fromTokenOnly,
  /** When the order was signed; defaults to now. */
  orderedAt: instant.optional(),
  /** Required to place an order the duplicate check refused (hard stop). */
  overrideReason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(2000).optional(),
});
export type PlaceOrderBody = z.infer<typeof placeOrderBody>;
