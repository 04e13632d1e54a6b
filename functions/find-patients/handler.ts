import * as z from 'zod';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { stores } from '../../shared/store';

const query = z.object({
  identifier: z
    .string()
    .regex(/^[^|]+\|.+$/, 'must be system|value, e.g. urn:example:mrn|MRN-1')
    .transform((text) => {
      const at = text.indexOf('|');
      return { system: text.slice(0, at), value: text.slice(at + 1) };
    }),
});

/** GET /v1/patients?identifier=system|value: the caller's patient with that identifier, if any. */
export const handler = httpRoute({ query }, async ({ query, caller }) => {
  return json(200, { items: await stores().patients.listByIdentifier(caller.facilityId, query.identifier) });
});
