import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Actor } from '../domain/audit';

/** The hospital system calling, and the one facility its token lets it read and write. */
export interface Caller {
  clientId: string;
  facilityId: string;
}

export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError';
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

const FACILITY_SCOPE = /^carepath\/facility\.([A-Za-z0-9._-]{1,64})$/;

/**
 * Reads the caller from the claims API Gateway's JWT authorizer verified (a Cognito
 * client-credentials access token: client_id, and scope carepath/facility.<id>).
 */
export function callerOf(event: APIGatewayProxyEventV2): Caller {
  const jwt = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, string> } } }).authorizer?.jwt;
  const claims = jwt?.claims;
  if (!claims) throw new UnauthorizedError('No verified token');
  const facilities = (claims.scope ?? '')
    .split(' ')
    .flatMap((scope) => FACILITY_SCOPE.exec(scope)?.[1] ?? []);
  if (facilities.length !== 1) throw new ForbiddenError('The token must grant exactly one facility scope');
  return { clientId: claims.client_id ?? claims.sub ?? 'unknown', facilityId: facilities[0]! };
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
  return { who: caller.clientId, role: 'integration-client', facilityId: caller.facilityId, via: event.requestContext?.requestId };
}
