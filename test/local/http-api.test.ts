import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApi, type LocalHttpApi } from '../../local/http-api';
import type { LocalLambdaRuntime } from '../../local/lambda-runtime';
import { LocalTemplate } from '../../local/template';

// A template with the three kinds of route API Gateway matches: literal, one parameter, greedy.
const template = new LocalTemplate(
  {
    Resources: {
      One: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { RouteKey: 'GET /v1/things/{id}', Target: 'integrations/Fn', AuthorizationType: 'NONE' },
      },
      Greedy: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { RouteKey: 'GET /files/{path+}', Target: 'integrations/Fn', AuthorizationType: 'NONE' },
      },
      Guarded: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { RouteKey: 'POST /v1/things/{id}', Target: 'integrations/Fn', AuthorizationType: 'JWT' },
      },
      Fn: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { IntegrationType: 'AWS_PROXY', IntegrationUri: 'arn:local:fn' } },
    },
  },
  'Test',
  '/nonexistent',
  { region: 'us-east-1', accountId: '000000000000' },
);

// The function echoes the decoded path parameters, so a test sees what a handler would get.
const lambdas = {
  invoke: async (_arn: string, event: { pathParameters?: Record<string, string> }) => ({
    statusCode: 200,
    body: JSON.stringify(event.pathParameters ?? {}),
  }),
} as unknown as LocalLambdaRuntime;

let api: LocalHttpApi;
beforeAll(async () => {
  api = await startHttpApi(template, lambdas, {
    port: 0,
    localRoutes: {
      'POST /_local/schedules/{name}/run': async (name) => ({ status: 200, body: { name } }),
      // Throws before it returns a promise: nothing catches it but the gateway's own net.
      'POST /_local/boom/{name}': (name) => {
        throw new TypeError(name);
      },
    },
  });
});
afterAll(() => api.close());

// Truncated sequences, non-hex digits, bytes that are not UTF-8, an encoded surrogate: decodeURIComponent throws on each.
const badEscapes = ['%E0%A4%A', '%', '%4', '%G1', '%zz', '%FF', '%C3', '%C3%28', '%ED%A0%80', 'ok%E2%82', '%E0%A4%A%'];

describe('the local gateway and malformed percent-escapes', () => {
  it.each(badEscapes)('answers 400 to %s in a path parameter of every kind of route, and keeps answering', async (bad) => {
    for (const [method, path] of [
      ['POST', `/_local/schedules/${bad}/run`],
      ['GET', `/v1/things/${bad}`],
      ['GET', `/files/a/${bad}/b`],
      ['POST', `/v1/things/${bad}`],
    ] as const) {
      const response = await fetch(`${api.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/percent-encoding/);
    }
    // The server is still there.
    const ok = await fetch(`${api.url}/_local/schedules/daily/run`, { method: 'POST' });
    expect(ok.status).toBe(200);
  });

  it('never dies on a request: what escapes a route is a bare 500 for that request alone', async () => {
    const response = await fetch(`${api.url}/_local/boom/x`, { method: 'POST' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    expect((await fetch(`${api.url}/v1/things/1`)).status).toBe(200);
  });

  it('still decodes good escapes, non-ASCII included', async () => {
    const response = await fetch(`${api.url}/v1/things/${encodeURIComponent('Zoë/𝔸 1')}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'Zoë/𝔸 1' });
    const local = await fetch(`${api.url}/_local/schedules/${encodeURIComponent('a b')}/run`, { method: 'POST' });
    expect(await local.json()).toEqual({ name: 'a b' });
  });
});
