import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isRole, mayUse, type Recorder, type Role } from '../domain/access';
import type { Actor } from '../domain/audit';

/** Who is calling: the client (and person, for people's tokens), the one facility, the roles. */
export interface Caller {
  clientId: string;
  facilityId: string;
  roles: Role[];
}

export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError';
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

const FACILITY = /^(?:carepath\/)?facility\.([A-Za-z0-9._-]{1,64})$/;
const ROLE_SCOPE = /^carepath\/role\.([a-z-]{1,40})$/;

/** A list claim: an array in the token itself, or a string "[a b]" as API Gateway hands it on. */
function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || !value) return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((item) => item.replace(/^"|"$/g, ''))
    .filter(Boolean);
}

const stringClaim = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** The roles this function lets through, written by the CDK from its route's access policy. */
const allowedRoles = (): Role[] => (process.env.ALLOWED_ROLES ?? '').split(',').filter(isRole);

/**
 * The caller the verified claims of a token describe (see authenticate in token.ts), refused (403)
 * when it holds none of the route's roles. Facility and roles come from the token's scopes
 * (machine clients: `carepath/facility.<id>`, `carepath/role.<role>`) or from the person's
 * Cognito groups (`facility.<id>`, `<role>`). Exactly one facility; a function whose route names
 * no roles lets no one through.
 */
export function callerOf(claims: Record<string, unknown>): Caller {
  const grants = [...(stringClaim(claims.scope) ?? '').split(' '), ...listClaim(claims['cognito:groups'])].filter(Boolean);
  const facilities = [...new Set(grants.flatMap((grant) => FACILITY.exec(grant)?.[1] ?? []))];
  if (facilities.length !== 1) throw new ForbiddenError('The token must grant exactly one facility');
  const roles = [...new Set(grants.map((grant) => ROLE_SCOPE.exec(grant)?.[1] ?? grant).filter(isRole))];
  if (roles.length === 0) throw new ForbiddenError('The token grants no Carepath role');
  const allowed = allowedRoles();
  if (!mayUse(roles, allowed)) {
    throw new ForbiddenError(`This route is for ${allowed.join(', ') || 'no role'}; the token grants ${roles.join(', ')}`);
  }
  const clientId = stringClaim(claims.client_id) ?? stringClaim(claims.sub) ?? 'unknown';
  const username = stringClaim(claims.username);
  return { clientId: username ? `${clientId}/${username}` : clientId, facilityId: facilities[0]!, roles };
}

/**
 * Another facility's record is answered exactly like a missing one (404), so ids cannot be used
 * to learn what exists elsewhere.
 */
export function visibleTo<T extends { facilityId: string }>(caller: Caller, record: T | undefined, notFound: () => Error): T {
  if (!record || record.facilityId !== caller.facilityId) throw notFound();
  return record;
}

/** The caller as the audit trail names it: the client, its facility, and the request. */
export function actorOf(caller: Caller, event: APIGatewayProxyEventV2): Actor {
  return { who: caller.clientId, role: caller.roles.join(','), facilityId: caller.facilityId, via: event.requestContext?.requestId };
}

/**
 * Who did something, for the record itself: the token's client (and person) and roles. `name` is
 * the display name the body may add (the schemas' `displayName`); it grants nothing.
 */
export function recorderOf(caller: Caller, name?: string): Recorder {
  return { who: caller.clientId, roles: caller.roles, ...(name ? { name } : {}) };
}
