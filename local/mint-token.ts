import { parseArgs } from 'node:util';
import { isRole, ROLES } from '../shared/domain/access';
import { mintLocalToken } from './auth';

/**
 * `npm run token -- --facility F1 [--role care-manager …] [--user jdoe] [--client my-ehr] [--hours 8]`:
 * prints a bearer token the local stack accepts for that facility (an integration client's
 * unless roles are given; with --user, a person's, roles as Cognito groups).
 */
const { values } = parseArgs({
  options: {
    facility: { type: 'string' },
    client: { type: 'string' },
    role: { type: 'string', multiple: true },
    user: { type: 'string' },
    hours: { type: 'string' },
  },
});
const usage = `Usage: npm run token -- --facility F1 [--role ${ROLES.join('|')} …] [--user name] [--client my-ehr] [--hours 8]`;
if (!values.facility || !/^[A-Za-z0-9._-]{1,64}$/.test(values.facility) || values.role?.some((role) => !isRole(role))) {
  console.error(usage);
  process.exit(2);
}
console.log(
  await mintLocalToken({
    facilityId: values.facility,
    ...(values.client ? { clientId: values.client } : {}),
    ...(values.role ? { roles: values.role } : {}),
    ...(values.user ? { username: values.user } : {}),
    ttlSeconds: Math.round(Number(values.hours ?? 8) * 3600),
  }),
);
