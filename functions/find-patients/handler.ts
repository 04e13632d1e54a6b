import * as z from 'zod';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { identifierSystem, identifierValue } from '../../shared/schemas/keys';

const query = z.object({
  identifier: z
    .string()
    .regex(/^[^|]+\|.+$/, 'must be system|value, e.g. urn:example:mrn|MRN-1')
    .transform((text) => {
      const at = text.indexOf('|');
      return { system: text.slice(0, at), value: text.slice(at + 1) };
    })
    // The same limits as a stored identifier: a longer one cannot exist, and would not fit a key.
    .pipe(z.object({ system: identifierSystem, value: identifierValue })),
});

/** GET /v1/patients?identifier=system|value: the caller's patient with that identifier, if any. */
export const handler = httpRoute({ query }, async ({ query, caller, ports }) => {
  return json(200, { items: await ports.patients.listByIdentifier(caller.facilityId, query.identifier) });
});
