import * as z from 'zod';

export const patientChoiceBody = z.strictObject({
  chosenProviderIds: z.array(z.string().trim().min(1).max(100)).max(5).default([]),
  declinedToChoose: z.boolean().default(false),
  recordedBy: z.string().trim().min(1).max(200),
});
