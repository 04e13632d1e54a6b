import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { inject } from 'vitest';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const localStack = () => inject('stack');

export const localDynamo = () =>
  new DynamoDBClient({ endpoint: localStack().dynamodbUrl, region: localStack().region, credentials });

export const localSfn = () =>
  new SFNClient({ endpoint: localStack().stepFunctionsUrl, region: localStack().region, credentials });

/**
 * A JSON call to the local HTTP API, as a client of facility F1 unless `as` says otherwise
 * (`as: null` sends no token).
 */
export async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, as: 'F1' | 'F2' | null = 'F1') {
  const auth: Record<string, string> = as ? { authorization: `Bearer ${localStack().tokens[as]}` } : {};
  const response = await fetch(`${localStack().httpUrl}${path}`, {
    method,
    headers: body === undefined ? { ...auth, ...headers } : { 'content-type': 'application/json', ...auth, ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : undefined };
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
