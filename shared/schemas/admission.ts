import * as z from 'zod';
import { instant } from './time';
import { isInTheFuture } from '../domain/clock';
import { birthDateSchema, identifierSchema, nameSchema, sexSchema } from './patient';
import { ADMISSION_TYPES, ENCOUNTER_CLASSES } from '../domain/encounter';

const facilityId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, ".", "_" or "-"');

export const admitPatientBody = z
  .strictObject({
    /** Optional: the caller's own facility; any other is refused. */
    facilityId: facilityId.optional(),
    patient: z.strictObject({
      identifier: identifierSchema,
      name: nameSchema,
      birthDate: birthDateSchema,
      sex: sexSchema,
    }),
    unit: z.string().min(1).max(64),
    class: z.enum(ENCOUNTER_CLASSES),
    admissionType: z.enum(ADMISSION_TYPES),
    admittedAt: instant,
  })
  .refine((body) => body.patient.birthDate <= body.admittedAt.slice(0, 10), {
    path: ['patient', 'birthDate'],
    message: 'must not be after admittedAt',
  })
  .refine((body) => !isInTheFuture(body.admittedAt), { path: ['admittedAt'], message: 'must not be in the future' });
export type AdmitPatientBody = z.infer<typeof admitPatientBody> & { facilityId: string };

export const admitPatientHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8–128 URL-safe characters')
    .optional(),
});
