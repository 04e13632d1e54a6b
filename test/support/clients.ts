import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { inject } from 'vitest';
import { mintLocalToken } from '../../local/auth';
import type { Role } from '../../shared/domain/access';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const localStack = () => inject('stack');

export const localDynamo = () => new DynamoDBClient({ endpoint: localStack().dynamodbUrl, region: localStack().region, credentials });

export const localSfn = () => new SFNClient({ endpoint: localStack().stepFunctionsUrl, region: localStack().region, credentials });

/**
 * Who calls: the integration client of F1 or F2, no one (no token), or someone holding roles in
 * a facility — a machine client by scopes, or with `username` a person by Cognito groups.
 */
export type Who = 'F1' | 'F2' | null | { facility: 'F1' | 'F2'; role: Role | Role[]; username?: string };

const minted = new Map<string, Promise<string>>();
async function tokenOf(who: Exclude<Who, null>): Promise<string> {
  if (typeof who === 'string') return localStack().tokens[who];
  const roles = Array.isArray(who.role) ? who.role : [who.role];
  const key = JSON.stringify([who.facility, roles, who.username]);
  if (!minted.has(key)) {
    minted.set(
      key,
      mintLocalToken({
        facilityId: who.facility,
        clientId: `test-${roles.join('+') || 'no-role'}`,
        roles,
        ...(who.username ? { username: who.username } : {}),
      }),
    );
  }
  return minted.get(key)!;
}

/**
 * A JSON call to the local HTTP API, as the integration client of facility F1 unless `as` says
 * otherwise (`as: null` sends no token).
 */
export async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, as: Who = 'F1') {
  const auth: Record<string, string> = as ? { authorization: `Bearer ${await tokenOf(as)}` } : {};
  const response = await fetch(`${localStack().httpUrl}${path}`, {
    method,
    headers: body === undefined ? { ...auth, ...headers } : { 'content-type': 'application/json', ...auth, ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const json = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, body: text ? (json ? (JSON.parse(text) as any) : text) : undefined };
}

/** Sends one HL7 message to POST /v1/adt and returns the HTTP status and the ACK text. */
export async function sendAdt(message: string, options: { contentType?: string; as?: 'F1' | 'F2' | null } = {}) {
  const as = options.as === undefined ? 'F1' : options.as;
  const response = await fetch(`${localStack().httpUrl}/v1/adt`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/hl7-v2',
      ...(as ? { authorization: `Bearer ${localStack().tokens[as]}` } : {}),
    },
    body: message,
  });
  return { status: response.status, contentType: response.headers.get('content-type'), ack: await response.text() };
}

/** Runs `run` over `items`, at most `concurrency` at a time; results in the items' order. */
export async function inBatches<T, R>(items: readonly T[], concurrency: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
