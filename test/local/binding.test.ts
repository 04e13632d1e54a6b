import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { startHttpApi } from '../../local/http-api';
import type { LocalLambdaRuntime } from '../../local/lambda-runtime';
import { startStepFunctionsServer } from '../../local/stepfunctions/server';
import { LocalStepFunctions } from '../../local/stepfunctions/service';
import { LocalTemplate } from '../../local/template';

// This machine's own address on a network, as another machine would reach it.
const external = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
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
    const dynamodb = new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const service = new LocalStepFunctions({ region: 'us-east-1', accountId: '000000000000', invokeLambda: async () => ({}), dynamodb });
    const server = await startStepFunctionsServer(service, { port: 0 });
    expect(await connects('127.0.0.1', server.port)).toBe(true);
    expect(await connects(external!, server.port)).toBe(false);
    await server.close();
    await service.close();
    dynamodb.destroy();
  });
});
