import * as z from 'zod';

export const encounterParams = z.object({ id: z.uuid('must be an encounter id (UUID)') });
