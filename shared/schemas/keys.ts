import * as z from 'zod';
import { utf8Bytes } from '../domain/text-hygiene';

/**
 * DynamoDB counts key sizes in UTF-8 bytes (a partition key at most 2,048, a sort key 1,024), and
 * the key builders (shared/store/keys.ts) URI-encode free text, up to three characters per byte.
 * A string that becomes part of a key is therefore limited in bytes as well as characters, so a
 * value in another script is a 400 naming the field, never DynamoDB's ValidationException as a 500.
 */

/** A non-empty string of at most `maxChars` characters and `maxBytes` UTF-8 bytes that ends up in a key. */
export function keyText(maxChars: number, maxBytes: number) {
  return (
    z
      .string()
      .min(1)
      .max(maxChars)
      // One reason a field: past the character limit, the byte count adds nothing. Characters as zod
      // counts them (code points): in UTF-16 units a string of 𝄞 looks twice as long and would skip both checks.
      .refine((text) => Array.from(text).length > maxChars || utf8Bytes(text) <= maxBytes, {
        message: `must be at most ${maxBytes} bytes in UTF-8 (letters outside ASCII take 2–4 bytes each)`,
        abort: true,
      })
  );
}

/**
 * A patient identifier's parts (the PATIENT_ID key: facility, system and value, URI-encoded).
 * At these limits the key is at most 11 + 64 + 2 + 3 × (400 + 200) = 1,877 bytes, under 2,048.
 */
export const identifierSystem = keyText(200, 400);
export const identifierValue = keyText(100, 200);
