import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintLocalToken } from '../../local/auth';
import { main, walkDischarge } from '../smoke/walk-discharge';
import { localStack } from '../support/clients';

// The post-deploy smoke test (npm run smoke) walked against the local stack with the same code,
// so a change to the API that would break it after a deployment breaks it here first.

const STEPS = [
  'Admit a synthetic patient',
  'Assessment task opened by the workflow',
  'Complete the assessment',
  'Record goals and preferences',
  'Reconcile medications',
  'Give education',
  'Teach-back understood',
  'Publish a clinic slot',
  'Book the follow-up appointment',
  'Discharge order task opened',
  'Sign the discharge order',
  'Discharged, discharge planning SUCCEEDED',
  'Follow-up started, contact task open',
  'Follow-up workflow running',
];

/**
 * Cognito's /oauth2/token as far as the smoke test uses it: client_secret_basic, the
 * client-credentials grant, and scopes: none asked = every scope the client holds; one it does
 * not hold = 400 invalid_scope. The token carries exactly the scopes granted, so a request for the
 * facility scope alone gets a token with no role, as on AWS.
 */
const CLIENT = {
  id: 'smoke-client-f1',
  secret: 'synthetic-secret',
  facility: 'F1',
  scopes: ['carepath/facility.F1', 'carepath/role.integration-client'],
};
const requests: Array<{ authorization?: string; contentType?: string; form: Record<string, string> }> = [];
let server: Server;
let tokenUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      void (async () => {
        const form = Object.fromEntries(new URLSearchParams(raw));
        requests.push({ authorization: request.headers.authorization, contentType: request.headers['content-type'], form });
        const answer = (status: number, body: unknown) =>
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const [id, secret] = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
          .toString()
          .split(':')
          .map(decodeURIComponent);
        if (request.method !== 'POST' || request.url !== '/oauth2/token') return answer(404, { error: 'not_found' });
        if (id !== CLIENT.id || secret !== CLIENT.secret) return answer(400, { error: 'invalid_client' });
        if (form.grant_type !== 'client_credentials') return answer(400, { error: 'unsupported_grant_type' });
        const asked = form.scope ? form.scope.split(' ') : CLIENT.scopes;
        if (asked.some((scope) => !CLIENT.scopes.includes(scope))) return answer(400, { error: 'invalid_scope' });
        const roles = asked.flatMap((scope) => /^carepath\/role\.(.+)$/.exec(scope)?.[1] ?? []);
        const token = await mintLocalToken({ facilityId: CLIENT.facility, clientId: CLIENT.id, roles, ttlSeconds: 600 });
        return answer(200, { access_token: token, expires_in: 600, token_type: 'Bearer' });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs the command line as `npm run smoke -- …` does; returns its exit code and what it printed. */
async function smoke(args: string[]) {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  try {
    return { code: await main(args), lines };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('npm run smoke against the local stack', () => {
  it('walks the README discharge with a given token, one line per step (name, HTTP status, ms)', async () => {
    const lines: string[] = [];
    const { encounterId, steps } = await walkDischarge({
      api: localStack().httpUrl,
      token: localStack().tokens.F1,
      waitMs: 30_000,
      log: (line) => lines.push(line),
    });
    expect(steps.map((step) => step.name)).toEqual(STEPS);
    expect(steps.map((step) => step.status)).toEqual([201, 200, 200, 200, 200, 201, 200, 201, 201, 200, 200, 200, 200, 200]);
    expect(lines).toHaveLength(STEPS.length);
    for (const line of lines) expect(line).toMatch(/^\S.* \d{3} +\d+ ms$/);
    expect(encounterId).toMatch(/\S/);
    // A whole discharge, step after step: longer than the project's 60 s when the suite runs in parallel.
  }, 180_000);

  it("gets its token with the client-credentials grant, asking for the client's facility and role scopes, and exits 0", async () => {
    requests.length = 0;
    const { code, lines } = await smoke([
      '--api',
      localStack().httpUrl,
      '--token-url',
      tokenUrl,
      '--client-id',
      CLIENT.id,
      '--client-secret',
      CLIENT.secret,
      '--scope',
      'carepath/facility.F1 carepath/role.integration-client',
      '--wait-seconds',
      '30',
    ]);
    expect(code, lines.join('\n')).toBe(0);
    expect(requests).toEqual([
      {
        authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
        contentType: 'application/x-www-form-urlencoded',
        form: { grant_type: 'client_credentials', scope: 'carepath/facility.F1 carepath/role.integration-client' },
      },
    ]);
    expect(lines[0]).toMatch(/^Get a token \(client credentials\) +200 +\d+ ms$/);
    expect(lines).toHaveLength(STEPS.length + 2);
    expect(lines.at(-1)).toMatch(/^OK: 15 steps in \d+ ms/);
  }, 180_000);

  it('stops at the first failure with one clear line and exit code 1: a token with the facility scope alone has no role (403)', async () => {
    const { code, lines } = await smoke([
      '--api',
      localStack().httpUrl,
      '--token-url',
      tokenUrl,
      '--client-id',
      CLIENT.id,
      '--client-secret',
      CLIENT.secret,
      '--scope',
      'carepath/facility.F1',
    ]);
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(/^FAILED at "Admit a synthetic patient": HTTP 403 after \d+ ms: expected HTTP 201/);
    expect(lines.filter((line) => line.startsWith('FAILED'))).toHaveLength(1);
  });

  it('says what the token endpoint refused (a wrong secret) and exits 1 before calling the API', async () => {
    const { code, lines } = await smoke([
      '--api',
      localStack().httpUrl,
      '--token-url',
      tokenUrl,
      '--client-id',
      CLIENT.id,
      '--client-secret',
      'wrong',
    ]);
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(
        /^FAILED at "Get a token \(client credentials\)": HTTP 400 after \d+ ms: the token endpoint answered invalid_client$/,
      ),
    ]);
  });

  it('takes the client secret from SMOKE_CLIENT_SECRET, and explains its usage when arguments are missing (exit 2)', async () => {
    expect((await smoke(['--api', localStack().httpUrl])).code).toBe(2);
    vi.stubEnv('SMOKE_CLIENT_SECRET', 'wrong');
    try {
      const { code, lines } = await smoke(['--api', localStack().httpUrl, '--token-url', tokenUrl, '--client-id', CLIENT.id]);
      expect(code).toBe(1);
      expect(lines.at(-1)).toMatch(/invalid_client$/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
