import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, tokenSettingsFromEnv, tokenVerifier, type TokenVerifier } from '../../shared/http/token';

/** Real keys and real signatures: the verifier is aws-jwt-verify, as deployed. */
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Synthetic';
const KID = 'key-1';
let sign: (claims: JWTPayload, options?: { issuer?: string; expiresIn?: string; key?: 'ours' | 'forged' }) => Promise<string>;
let verify: TokenVerifier;
let ourKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const machineClaims = { client_id: 'ehr-feed', token_use: 'access', scope: 'carepath/facility.F1 carepath/role.integration-client' };
const request = (authorization?: string) =>
  ({ headers: authorization ? { authorization } : {}, requestContext: {} }) as unknown as APIGatewayProxyEventV2;

beforeAll(async () => {
  const ours = await generateKeyPair('ES256', { extractable: true });
  const forged = await generateKeyPair('ES256');
  ourKey = ours.privateKey;
  const publicJwk = { ...(await exportJWK(ours.publicKey)), kid: KID, alg: 'ES256', use: 'sig' as const };
  verify = tokenVerifier({ issuer: ISSUER, clientIds: ['ehr-feed', 'care-team-app'], jwks: { keys: [publicJwk as never] } });
  sign = (claims, options = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: KID })
      .setIssuer(options.issuer ?? ISSUER)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key === 'forged' ? forged.privateKey : ours.privateKey);
  process.env.ALLOWED_ROLES = 'integration-client';
});
afterAll(() => {
  delete process.env.ALLOWED_ROLES;
});

describe('the token, verified again inside the function', () => {
  it('gives the caller of a valid access token from one of our clients', async () => {
    await expect(authenticate(request(`Bearer ${await sign(machineClaims)}`), verify)).resolves.toEqual({
      clientId: 'ehr-feed',
      facilityId: 'F1',
      roles: ['integration-client'],
    });
  });

  it('refuses (401) a missing token, a forged signature, another issuer, an expired token, an id token and another client', async () => {
    const refused = async (authorization: string | undefined, reason: RegExp) => {
      const outcome = authenticate(request(authorization), verify);
      await expect(outcome).rejects.toMatchObject({ name: 'UnauthorizedError' });
      await expect(outcome).rejects.toThrow(reason);
    };
    await refused(undefined, /No bearer token/);
    await refused('Basic dXNlcjpwYXNz', /No bearer token/);
    await refused(`Bearer ${await sign(machineClaims, { key: 'forged' })}`, /not valid/);
    await refused(`Bearer ${await sign(machineClaims, { issuer: 'https://evil.example' })}`, /not valid/);
    await refused(`Bearer ${await sign(machineClaims, { expiresIn: '-1m' })}`, /not valid/);
    await refused(`Bearer ${await sign({ ...machineClaims, token_use: 'id' })}`, /Only access tokens/);
    await refused(`Bearer ${await sign({ ...machineClaims, client_id: 'someone-else' })}`, /another client/);
    await refused('Bearer not-a-jwt', /not valid/);
  });

  it('refuses (401, not 500) a token without expiry, one naming a key the issuer does not have, and a 60 KB one', async () => {
    const noExpiry = await new SignJWT(machineClaims)
      .setProtectedHeader({ alg: 'ES256', kid: KID })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .sign(ourKey);
    const otherKid = await new SignJWT(machineClaims)
      .setProtectedHeader({ alg: 'ES256', kid: 'rotated-away' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(ourKey);
    const huge = await sign({ ...machineClaims, padding: 'x'.repeat(60_000) });
    for (const [token, reason] of [
      [noExpiry, /no expiry/],
      [otherKid, /key the issuer does not have/],
      [huge, /too large/],
    ] as const) {
      const outcome = authenticate(request(`Bearer ${token}`), verify);
      await expect(outcome).rejects.toMatchObject({ name: 'UnauthorizedError' });
      await expect(outcome).rejects.toThrow(reason);
    }
  });

  it('ignores claims API Gateway would have passed on: only the verified token counts', async () => {
    const forgedContext = {
      headers: {},
      requestContext: {
        authorizer: { jwt: { claims: { client_id: 'ehr-feed', scope: 'carepath/facility.F1 carepath/role.integration-client' } } },
      },
    } as unknown as APIGatewayProxyEventV2;
    await expect(authenticate(forgedContext, verify)).rejects.toMatchObject({ name: 'UnauthorizedError' });
  });

  it('fails closed when the function was deployed without its token settings', () => {
    expect(() => tokenSettingsFromEnv({})).toThrow(/TOKEN_ISSUER/);
    expect(() => tokenSettingsFromEnv({ TOKEN_ISSUER: ISSUER })).toThrow(/TOKEN_CLIENT_IDS/);
    expect(tokenSettingsFromEnv({ TOKEN_ISSUER: ISSUER, TOKEN_CLIENT_IDS: 'a,b' })).toEqual({ issuer: ISSUER, clientIds: ['a', 'b'] });
  });
});

describe('a handler invoked without API Gateway', () => {
  it('answers 401 to made-up authorizer claims, before reading anything', async () => {
    const { handler } = await import('../../functions/get-patient/handler');
    const event = {
      version: '2.0',
      routeKey: 'GET /v1/patients/{id}',
      rawPath: '/v1/patients/00000000-0000-4000-8000-000000000000',
      headers: {},
      pathParameters: { id: '00000000-0000-4000-8000-000000000000' },
      requestContext: {
        requestId: 'direct-invoke',
        authorizer: { jwt: { claims: { client_id: 'ehr-feed', scope: 'carepath/facility.F1 carepath/role.care-manager' }, scopes: null } },
      },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const response = (await handler(event, { awsRequestId: 'direct-invoke', functionName: 'get-patient' } as never)) as {
      statusCode: number;
      body: string;
    };
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'Unauthorized' });
  });
});
