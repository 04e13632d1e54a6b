import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyIdOf, MAX_TOKEN_BYTES } from '../shared/http/token';

/**
 * Local stand-in for the API's JWT authorizer (Cognito client-credentials tokens on AWS): one
 * signing key per checkout, kept in .local/auth (git-ignored), used by `npm run token` to mint and
 * by the local HTTP API to verify. Claims mirror a Cognito access token: client_id and scopes
 * `carepath/facility.<id>` (the one facility) and `carepath/role.<role>` (a machine client's
 * roles), or, for a person, `username` and `cognito:groups` (`facility.<id>` and role names).
 */
// A URL, as OIDC issuers are; .invalid (RFC 2606) never resolves, and nothing fetches from it.
export const LOCAL_ISSUER = 'https://issuer.carepath.invalid';
const KEY_FILE = path.resolve('.local/auth/signing-key.json');

interface StoredKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

/** Read once per process: the local API checks every request with it, as API Gateway would on its own machines. */
let keyOnce: Promise<StoredKey> | undefined;
const signingKey = (): Promise<StoredKey> => (keyOnce ??= loadOrCreateKey());
let verificationKeyOnce: ReturnType<typeof importJWK> | undefined;
/** The key id tokens name and the JWKS lists: the public key's thumbprint. */
let keyIdOnce: Promise<string> | undefined;
const keyId = (): Promise<string> => (keyIdOnce ??= signingKey().then(({ publicJwk }) => calculateJwkThumbprint(publicJwk)));

async function loadOrCreateKey(): Promise<StoredKey> {
  if (existsSync(KEY_FILE)) return JSON.parse(readFileSync(KEY_FILE, 'utf8')) as StoredKey;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const key: StoredKey = { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  mkdirSync(path.dirname(KEY_FILE), { recursive: true });
  // 'wx': if another process created it meanwhile, keep theirs.
  try {
    writeFileSync(KEY_FILE, JSON.stringify(key), { flag: 'wx', mode: 0o600 });
  } catch {
    return JSON.parse(readFileSync(KEY_FILE, 'utf8')) as StoredKey;
  }
  return key;
}

export interface LocalTokenOptions {
  facilityId: string;
  clientId?: string;
  /** @default ['integration-client'] */
  roles?: readonly string[];
  /** A person signing in through the care-team app: roles and facility as Cognito groups. */
  username?: string;
  /** `null` mints a token without `exp` (tests of the refusal only). @default 3600 */
  ttlSeconds?: number | null;
  /** Another key id in the header (tests of the refusal only). @default the key's thumbprint */
  kid?: string;
}

export async function mintLocalToken(options: LocalTokenOptions): Promise<string> {
  const { privateJwk } = await signingKey();
  const clientId = options.clientId ?? `local-${options.facilityId.toLowerCase()}`;
  const roles = options.roles ?? ['integration-client'];
  const claims = options.username
    ? {
        client_id: clientId,
        username: options.username,
        'cognito:groups': [`facility.${options.facilityId}`, ...roles],
        scope: 'openid',
        token_use: 'access',
      }
    : {
        client_id: clientId,
        scope: [`carepath/facility.${options.facilityId}`, ...roles.map((role) => `carepath/role.${role}`)].join(' '),
        token_use: 'access',
      };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? (await keyId()) })
    .setIssuer(LOCAL_ISSUER)
    .setSubject(clientId)
    .setIssuedAt();
  if (options.ttlSeconds !== null) jwt.setExpirationTime(`${options.ttlSeconds ?? 3600}s`);
  return jwt.sign(await importJWK(privateJwk, 'ES256'));
}

/**
 * The local issuer's public keys as a JWKS, for the functions' own verification (on AWS they
 * fetch the Cognito pool's).
 */
export async function localJwks(): Promise<{ keys: JWK[] }> {
  const { publicJwk } = await signingKey();
  return { keys: [{ ...publicJwk, kid: await keyId(), alg: 'ES256', use: 'sig' }] };
}

/** The claims of a valid local token, or undefined (API Gateway then answers 401). */
export async function verifyLocalToken(authorization: string | undefined): Promise<JWTPayload | undefined> {
  const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  // As API Gateway's JWT authorizer: a key the issuer's JWKS does not list, a token without
  // expiry, or one far larger than any Cognito token is refused (401), never passed on.
  if (!token || Buffer.byteLength(token) > MAX_TOKEN_BYTES || keyIdOf(token) !== (await keyId())) return undefined;
  try {
    verificationKeyOnce ??= signingKey().then(({ publicJwk }) => importJWK(publicJwk, 'ES256'));
    const { payload } = await jwtVerify(token, await verificationKeyOnce, { issuer: LOCAL_ISSUER, requiredClaims: ['exp'] });
    return payload;
  } catch {
    return undefined;
  }
}
