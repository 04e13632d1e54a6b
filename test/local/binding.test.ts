import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb';
import { startHttpApi } from '../../local/http-api';
import { startIamDynamoDbProxy } from '../../local/iam/dynamodb-proxy';
import type { IamEnforcement } from '../../local/iam/enforcement';
import type { LocalLambdaRuntime } from '../../local/lambda-runtime';
import { startStepFunctionsServer } from '../../local/stepfunctions/server';
import { LocalStepFunctions } from '../../local/stepfunctions/service';
import { LocalTemplate } from '../../local/template';
import { freePort } from '../support/ports';

// This machine's own address on a network, as another machine would reach it.
const external = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe.skipIf(!external)('local services listen on loopback only', () => {
  it('the probe sees a server that listens on every interface (so the checks below can fail)', async () => {
    const open = net.createServer();
    await new Promise<void>((resolve) => open.listen(0, '0.0.0.0', resolve));
    expect(await connects(external!, (open.address() as net.AddressInfo).port)).toBe(true);
    await new Promise((resolve) => open.close(resolve));
  });

  it('the HTTP API', async () => {
    const template = new LocalTemplate({ Resources: {} }, 'Test', '/nonexistent', { region: 'us-east-1', accountId: '000000000000' });
    const api = await startHttpApi(template, {} as LocalLambdaRuntime, { port: 0 });
    expect(await connects('127.0.0.1', api.port)).toBe(true);
    expect(await connects(external!, api.port)).toBe(false);
    await api.close();
  });

  it('the Step Functions endpoint', async () => {
    const dynamodb = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const service = new LocalStepFunctions({ region: 'us-east-1', accountId: '000000000000', invokeLambda: async () => ({}), dynamodb });
    const server = await startStepFunctionsServer(service, { port: 0 });
    expect(await connects('127.0.0.1', server.port)).toBe(true);
    expect(await connects(external!, server.port)).toBe(false);
    await server.close();
    await service.close();
    dynamodb.destroy();
  });

  it('the IAM-enforcing DynamoDB front', async () => {
    const front = await startIamDynamoDbProxy({ upstream: 'http://127.0.0.1:9', enforcement: {} as IamEnforcement });
    const port = Number(new URL(front.url).port);
    expect(await connects('127.0.0.1', port)).toBe(true);
    expect(await connects(external!, port)).toBe(false);
    await front.close();
  });

  // DynamoDB Local takes any credentials: only the address it listens on keeps the network out.
  it('DynamoDB Local', async () => {
    const dynamodb = await startDynamoDbLocal({ port: await freePort(), region: 'us-east-1' });
    try {
      const port = Number(new URL(dynamodb.endpoint).port);
      expect(await connects('127.0.0.1', port)).toBe(true);
      expect(await connects(external!, port)).toBe(false);
      // Nor may a web page on another origin read it: no browser origin is allowed, not even the
      // local console's or API's (they never call DynamoDB Local from a browser).
      for (const origin of ['http://attacker.example', 'http://127.0.0.1:3000', 'null']) {
        const preflight = await fetch(dynamodb.endpoint, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type,x-amz-target',
          },
        });
        expect(preflight.headers.get('access-control-allow-origin'), origin).toBeNull();
        const answer = await fetch(dynamodb.endpoint, {
          method: 'POST',
          headers: {
            origin,
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': 'DynamoDB_20120810.ListTables',
            authorization: 'AWS4-HMAC-SHA256 Credential=anyone/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          },
          body: '{}',
        });
        expect(answer.status).toBe(200);
        expect(answer.headers.get('access-control-allow-origin'), origin).toBeNull();
      }
    } finally {
      await dynamodb.stop();
    }
  }, 90_000);
});
