import * as z from 'zod';
import { EARLIEST_BIRTH_DATE } from '../domain/date-bounds';
import { identifierSystem, identifierValue } from './keys';

export const identifierSchema = z.strictObject({
  system: identifierSystem,
  value: identifierValue,
  type: z
    .string()
    .regex(/^[A-Z]{1,5}$/, 'must be an HL7 table 0203 code such as MR')
    .optional(),
});

/** A name of spaces alone is no name: a chart and a wristband would show a blank. */
const namePart = z
  .string()
  .min(1)
  .max(200)
  .refine((text) => text.trim() !== '', 'must not be blank');

export const nameSchema = z.strictObject({
  family: namePart,
  given: z.array(namePart).min(1).max(5),
});

export const birthDateSchema = z.iso.date().refine((d) => d >= EARLIEST_BIRTH_DATE, 'must be after 1880');
export const sexSchema = z.enum(['female', 'male', 'other', 'unknown']);

export const patientBody = z.strictObject({
  identifiers: z.array(identifierSchema).min(1).max(20),
  name: nameSchema,
  birthDate: birthDateSchema.refine((d) => d <= new Date().toISOString().slice(0, 10), 'must not be in the future'),
  sex: sexSchema,
});
export type PatientBody = z.infer<typeof patientBody>;

export const patientParams = z.object({ id: z.uuid('must be a patient id (UUID)') });
