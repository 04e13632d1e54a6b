import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb';
import { assertPortFree } from '../../local/ports';

// Something that answers as DynamoDB Local does, as an orphan from a dead stack would.
async function impostor(host: string): Promise<http.Server> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify({ TableNames: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return server;
}
const portOf = (server: http.Server) => (server.address() as { port: number }).port;

const open: http.Server[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe('a local port already in use', () => {
  it.each(['0.0.0.0', '127.0.0.1'])(
    'is refused by DynamoDB Local when held on %s, never attached to',
    async (host) => {
      const server = await impostor(host);
      open.push(server);
      const started = startDynamoDbLocal({ port: portOf(server), region: 'us-east-1' });
      await expect(started).rejects.toThrow(`Port ${portOf(server)} (CAREPATH_DYNAMODB_PORT) is already in use`);
      // Had it attached, stop what it started.
      await started.then((d) => d.stop()).catch(() => undefined);
    },
    60_000,
  );

  it('is refused in one line naming the port and its setting, and a free port passes', async () => {
    const server = await impostor('127.0.0.1');
    open.push(server);
    await expect(assertPortFree(portOf(server), 'CAREPATH_HTTP_PORT')).rejects.toThrow(
      /^Port \d+ \(CAREPATH_HTTP_PORT\) is already in use: [^\n]+$/,
    );
    const port = portOf(server);
    await new Promise((resolve) => server.close(resolve));
    open.length = 0;
    await expect(assertPortFree(port, 'CAREPATH_HTTP_PORT')).resolves.toBeUndefined();
  });
});

describe('npm start on a port already in use', () => {
  it('refuses to start, in one line, before it starts anything', async () => {
    const { spawnSync } = await import('node:child_process');
    const server = await impostor('0.0.0.0');
    open.push(server);
    const run = spawnSync('npx', ['tsx', 'local/start.ts'], {
      encoding: 'utf8',
      timeout: 100_000,
      env: { ...process.env, CAREPATH_HTTP_PORT: '0', CAREPATH_SFN_PORT: '0', CAREPATH_DYNAMODB_PORT: String(portOf(server)) },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Port ${portOf(server)} (CAREPATH_DYNAMODB_PORT) is already in use: stop what listens there (an earlier local stack?) or set CAREPATH_DYNAMODB_PORT to a free port.`,
    );
    expect(run.stdout).not.toContain('Synthesizing');
  }, 120_000);
});

describe('a local stack that dies', () => {
  it('takes DynamoDB Local with it, leaving its port free for the next start', async () => {
    const { spawnSync } = await import('node:child_process');
    const probe = await impostor('127.0.0.1');
    const port = portOf(probe);
    await new Promise((resolve) => probe.close(resolve));
    const run = spawnSync('npx', ['tsx', 'test/local/fixtures/dies-with-dynamodb.ts', String(port)], { encoding: 'utf8', timeout: 90_000 });
    expect(run.stdout).toContain('ready');
    expect(run.status).not.toBe(0);
    let free = false;
    for (let i = 0; i < 25 && !free; i++) {
      free = await assertPortFree(port, 'CAREPATH_DYNAMODB_PORT').then(
        () => true,
        () => false,
      );
      if (!free) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(free, `DynamoDB Local still holds port ${port}`).toBe(true);
  }, 120_000);
});
