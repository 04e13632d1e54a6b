import { parseArgs } from 'node:util';
import { mintLocalToken } from './auth';

/**
 * `npm run token -- --facility F1 [--client my-ehr] [--hours 8]`: prints a bearer token the
 * local stack accepts for that facility.
 */
const { values } = parseArgs({
  options: { facility: { type: 'string' }, client: { type: 'string' }, hours: { type: 'string' } },
});
if (!values.facility || !/^[A-Za-z0-9._-]{1,64}$/.test(values.facility)) {
  console.error('Usage: npm run token -- --facility F1 [--client my-ehr] [--hours 8]');
  process.exit(2);
}
console.log(
  await mintLocalToken({
    facilityId: values.facility,
    ...(values.client ? { clientId: values.client } : {}),
    ttlSeconds: Math.round(Number(values.hours ?? 8) * 3600),
  }),
);
