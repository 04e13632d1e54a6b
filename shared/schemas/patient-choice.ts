import * as z from 'zod';
import { fromTokenOnly } from './identity';

export const patientChoiceBody = z.strictObject({
  chosenProviderIds: z.array(z.string().trim().min(1).max(100)).max(5).default([]),
  declinedToChoose: z.boolean().default(false),
  /** A provider not on the list: the patient's own choice, or the one arranged for a patient who would not choose. */
  offListProvider: z
    .strictObject({
      name: z.string().trim().min(1).max(200),
      phone: z
        .string()
        .trim()
        .regex(/^\+?[0-9 ().-]{7,30}$/, 'must be a phone number (digits, spaces, + ( ) . -)'),
      npi: z
        .string()
        .trim()
        .regex(/^\d{10}$/, 'must be 10 digits')
        .optional(),
      address: z.string().trim().min(1).max(500).optional(),
    })
    .optional(),
  recordedBy: z.string().trim().min(1).max(200),
  role: fromTokenOnly,
});
