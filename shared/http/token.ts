import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { callerOf, UnauthorizedError, type Caller } from './caller';

/**
 * Who may call, proved inside the function. API Gateway's JWT authorizer has already checked the
 * token before the function runs; the function checks it again (signature against the issuer's
 * keys, issuer, expiry, an access token of one of our clients) and takes the caller only from
 * what it verified itself. So a function reached some other way (a direct Lambda invoke with
 * made-up authorizer claims, a route added without the authorizer) serves nobody's PHI.
 */
export interface TokenSettings {
  /** The token issuer: the Cognito user pool's URL on AWS, `https://issuer.carepath.invalid` locally. */
  issuer: string;
  /** The app clients whose access tokens are accepted; `*` for any (the local stack only). */
  clientIds: string[];
  /** The issuer's public keys, when given (local stack); otherwise fetched from `<issuer>/.well-known/jwks.json` once per instance. */
  jwks?: Jwks;
}

export type TokenVerifier = (token: string) => Promise<Record<string, unknown>>;

/**
 * Cognito access tokens are 1–2 KB; anything this large is refused before it is parsed (API
 * Gateway's own limit on all headers together is 10 KB).
 */
export const MAX_TOKEN_BYTES = 8192;

/** The `kid` a JWT's header names, if it can be read at all (the verifier's own decoder, unverified). */
export function keyIdOf(token: string): string | undefined {
  try {
    return decomposeUnverifiedJwt(token).header.kid;
  } catch {
    return undefined;
  }
}

export function tokenVerifier(settings: TokenSettings): TokenVerifier {
  const anyClient = settings.clientIds.includes('*');
  const verifier = JwtVerifier.create({
    issuer: settings.issuer,
    // Cognito access tokens name their client in client_id, not aud.
    audience: null,
    customJwtCheck: ({ payload }) => {
      // aws-jwt-verify checks exp only when present: a token that never expires is refused here.
      if (typeof payload.exp !== 'number') throw new UnauthorizedError('The token has no expiry');
      if (payload.token_use !== 'access') throw new UnauthorizedError('Only access tokens are accepted');
      if (!anyClient && !settings.clientIds.includes(String(payload.client_id)))
        throw new UnauthorizedError('The token is for another client');
    },
  });
  if (settings.jwks) verifier.cacheJwks(settings.jwks);
  const knownKeys = settings.jwks ? new Set(settings.jwks.keys.map((key) => key.kid)) : undefined;
  return async (token) => {
    if (Buffer.byteLength(token) > MAX_TOKEN_BYTES) throw new UnauthorizedError('The token is too large');
    // With the keys given (the local stack), an unknown kid is the caller's error: without this the
    // verifier would try to fetch keys from the issuer and fail as if it were ours (500).
    const kid = keyIdOf(token);
    if (knownKeys && kid !== undefined && !knownKeys.has(kid))
      throw new UnauthorizedError('The token names a key the issuer does not have');
    return (await verifier.verify(token)) as Record<string, unknown>;
  };
}

/** The settings the CDK (or the local stack) gives every HTTP function; missing ones fail closed. */
export function tokenSettingsFromEnv(environment: NodeJS.ProcessEnv = process.env): TokenSettings {
  const issuer = environment.TOKEN_ISSUER;
  const clientIds = (environment.TOKEN_CLIENT_IDS ?? '').split(',').filter(Boolean);
  if (!issuer || clientIds.length === 0) throw new Error('Missing environment variable TOKEN_ISSUER or TOKEN_CLIENT_IDS');
  return { issuer, clientIds, ...(environment.TOKEN_JWKS ? { jwks: JSON.parse(environment.TOKEN_JWKS) as Jwks } : {}) };
}

let verifyFromEnv: TokenVerifier | undefined;

/**
 * The caller of an API request, from the bearer token verified here (401 when it is missing or
 * fails any check; a failure to fetch the issuer's keys is ours, not the caller's, and is thrown on).
 */
export async function authenticate(event: APIGatewayProxyEventV2, verify?: TokenVerifier): Promise<Caller> {
  const token = /^Bearer +(\S+)$/i.exec(event.headers?.authorization ?? '')?.[1];
  if (!token) throw new UnauthorizedError('No bearer token');
  const check = verify ?? (verifyFromEnv ??= tokenVerifier(tokenSettingsFromEnv()));
  let claims: Record<string, unknown>;
  try {
    claims = await check(token);
  } catch (error) {
    if (error instanceof FetchError) throw error;
    throw new UnauthorizedError(error instanceof UnauthorizedError ? error.message : 'The token is not valid');
  }
  return callerOf(claims);
}
