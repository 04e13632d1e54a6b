import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { currentEtag } from '../../local/seed/stay-part-etag';

/**
 * The post-deploy smoke test: one synthetic discharge, the README's "Try it" walk, against a
 * deployed stage (or the local stack). Each step prints one line (name, HTTP status, ms); the
 * first failure stops the walk and exits non-zero with one line saying what failed.
 *
 *   npm run smoke -- --api https://…execute-api…/ --token-url https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token \
 *     --client-id … --client-secret … [--scope "carepath/facility.F1 carepath/role.integration-client"]
 *   npm run smoke -- --api http://127.0.0.1:3000 --token "$(npm run -s token -- --facility F1)"
 *
 * The client secret may come from SMOKE_CLIENT_SECRET instead of the command line, where other
 * users of the machine could read it in the process list.
 *
 * It writes a made-up patient (random MRN, family name "Smoketest") into the token's facility:
 * run it in production only against a facility kept for testing.
 */

export interface SmokeOptions {
  /** The API's base URL (the stack output ApiUrl). */
  api: string;
  /** A bearer token to use as is; otherwise one is requested with the client-credentials grant. */
  token?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  /** @default none: Cognito then grants every scope the client holds */
  scope?: string;
  /** How long to wait for the workflow at each step. @default 60 s (a cold start of each function is a few seconds on AWS) */
  waitMs?: number;
  /** Where each step's line goes. @default console.log */
  log?: (line: string) => void;
}

export interface SmokeStep {
  name: string;
  status: number;
  ms: number;
}

/** A step that did not give what the walk needs; `step` is its line. */
export class SmokeFailedError extends Error {
  override readonly name = 'SmokeFailedError';
  constructor(
    readonly step: SmokeStep,
    reason: string,
  ) {
    super(`FAILED at "${step.name}": HTTP ${step.status || '-'} after ${step.ms} ms: ${reason}`);
  }
}

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** A bounded excerpt of an error reply: enough to act on, never a whole body in a CI log. */
function reasonOf(reply: Reply | undefined, expected: string): string {
  if (!reply) return expected;
  const body = reply.body;
  const said = typeof body === 'object' && body ? [body.error, body.message].filter(Boolean).join(': ') : String(body ?? '');
  return `${expected}${said ? `; the API said ${said.slice(0, 200)}` : ''}`;
}

/** The OAuth 2.0 client-credentials grant against Cognito's /oauth2/token (client_secret_basic). */
export async function clientCredentialsToken(options: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}): Promise<{ token: string; status: number }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(options.scope ? { scope: options.scope } : {}) });
  const response = await fetch(options.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`,
    },
    body: form,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let body: { access_token?: unknown; error?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON (a proxy's error page): reported by status below.
  }
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    // Cognito names the problem in `error` (invalid_client, invalid_scope, unauthorized_client).
    throw Object.assign(
      new Error(`the token endpoint answered ${typeof body.error === 'string' ? body.error : 'without an access_token'}`),
      { status: response.status },
    );
  }
  return { token: body.access_token, status: response.status };
}

/** The facility a token acts for: its `carepath/facility.<id>` scope (machine clients) or `facility.<id>` group. */
export function facilityOfToken(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      scope?: string;
      'cognito:groups'?: string[];
    };
    const grants = [...(claims.scope ?? '').split(' '), ...(claims['cognito:groups'] ?? [])];
    return grants.map((grant) => /^(?:carepath\/)?facility\.(.+)$/.exec(grant)?.[1]).find(Boolean);
  } catch {
    return undefined;
  }
}

/** Why a request got no answer: a refused or unresolved host (the cause's code), or a timeout. */
const noAnswer = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
  return `no answer (${cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).name})`;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Walks one discharge from admission to the post-discharge follow-up; returns the steps taken. */
export async function walkDischarge(options: SmokeOptions): Promise<{ encounterId: string; steps: SmokeStep[] }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const waitMs = options.waitMs ?? 60_000;
  const base = options.api.replace(/\/+$/, '');
  const steps: SmokeStep[] = [];

  const record = (name: string, status: number, started: number) => {
    const step = { name, status, ms: Math.round(performance.now() - started) };
    steps.push(step);
    log(`${step.name.padEnd(42)} ${String(step.status).padStart(3)} ${String(step.ms).padStart(6)} ms`);
    return step;
  };
  const fail = (name: string, started: number, reply: Reply | undefined, expected: string): never => {
    const step = { name, status: reply?.status ?? 0, ms: Math.round(performance.now() - started) };
    throw new SmokeFailedError(step, reasonOf(reply, expected));
  };

  let token = options.token;
  if (!token) {
    const started = performance.now();
    const name = 'Get a token (client credentials)';
    if (!options.tokenUrl || !options.clientId || !options.clientSecret) {
      throw new SmokeFailedError({ name, status: 0, ms: 0 }, 'give --token, or --token-url, --client-id and --client-secret');
    }
    try {
      const granted = await clientCredentialsToken({
        tokenUrl: options.tokenUrl,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        ...(options.scope ? { scope: options.scope } : {}),
      });
      token = granted.token;
      record(name, granted.status, started);
    } catch (error) {
      const status = (error as { status?: number }).status ?? 0;
      throw new SmokeFailedError({ name, status, ms: Math.round(performance.now() - started) }, (error as Error).message);
    }
  }
  const facilityId = facilityOfToken(token);
  if (!facilityId) {
    throw new SmokeFailedError(
      { name: 'Read the token', status: 0, ms: 0 },
      "the token names no facility: request the client's facility scope (carepath/facility.<id>) and a role scope (carepath/role.<role>)",
    );
  }

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Kept as text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  /** One request that must answer `expected`. */
  const step = async (name: string, expected: number, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const started = performance.now();
    let reply: Reply | undefined;
    try {
      reply = await call(method, path, body, headers);
    } catch (error) {
      fail(name, started, undefined, noAnswer(error));
    }
    if (reply!.status !== expected) fail(name, started, reply, `expected HTTP ${expected}`);
    record(name, reply!.status, started);
    return reply!;
  };

  /** Reads until `done` holds: the workflow moves on by itself, a moment after the call that woke it. */
  const until = async <T>(
    name: string,
    path: string,
    done: (body: any) => T | undefined,
    expected: string,
    seen: (body: any) => string = () => '',
  ) => {
    const started = performance.now();
    let reply: Reply | undefined;
    for (;;) {
      try {
        reply = await call('GET', path);
      } catch (error) {
        fail(name, started, undefined, noAnswer(error));
      }
      if (reply!.status !== 200) fail(name, started, reply, 'expected HTTP 200');
      const value = done(reply!.body);
      if (value !== undefined) {
        record(name, reply!.status, started);
        return value;
      }
      if (performance.now() - started > waitMs) {
        throw new SmokeFailedError(
          { name, status: reply!.status, ms: Math.round(performance.now() - started) },
          `expected ${expected} within ${Math.round(waitMs / 1000)} s${seen(reply!.body)}`,
        );
      }
      await sleep(500);
    }
  };

  /** An edit of a part of the stay under its own If-Match, read again if the workflow changed the part meanwhile (412). */
  const edit = async (name: string, path: string, body: unknown) => {
    for (let attempt = 1; ; attempt += 1) {
      const etag = await currentEtag(
        async (method, url) => {
          const reply = await call(method, url);
          return { status: reply.status, etag: reply.headers.get('etag') };
        },
        encounterId,
        path,
      );
      const started = performance.now();
      const reply = await call('PUT', `/v1/encounters/${encounterId}${path}`, body, { 'if-match': etag });
      if (reply.status === 412 && attempt < 5) continue;
      if (reply.status !== 200) fail(name, started, reply, 'expected HTTP 200');
      return record(name, reply.status, started);
    }
  };

  const openTask = (name: string, type: string) =>
    until(
      name,
      `/v1/tasks?encounterId=${encounterId}&status=open`,
      (body) => (body.items as Array<{ type: string; taskId: string }>).find((task) => task.type === type)?.taskId,
      `an open ${type} task`,
    );

  const mrn = `SMOKE-${randomUUID()}`;
  const admitted = await step('Admit a synthetic patient', 201, 'POST', '/v1/encounters', {
    facilityId,
    patient: {
      identifier: { system: 'urn:example:mrn', value: mrn },
      name: { family: 'Smoketest', given: ['Synthetic'] },
      birthDate: '1950-02-03',
      sex: 'female',
    },
    unit: '4W',
    class: 'inpatient',
    admissionType: 'emergency',
    admittedAt: new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
  });
  const encounterId = (admitted.body as { encounterId: string }).encounterId;

  const assessment = await openTask('Assessment task opened by the workflow', 'needs-assessment');
  await step('Complete the assessment', 200, 'POST', `/v1/tasks/${assessment}/complete`, { outcome: 'completed' });

  await edit('Record goals and preferences', '/goals-and-preferences', {
    goals: ['Walk to the mailbox'],
    treatmentPreferences: ['Avoid nursing home'],
    preferredLanguage: 'en',
    interpreterNeeded: false,
    recordedBy: 'CM Smoketest',
  });
  await edit('Reconcile medications', '/medication-reconciliation', {
    medications: [
      { drug: 'metoprolol', decision: 'continued', home: { dose: '25 mg' }, discharge: { dose: '25 mg' }, reason: 'Rate control' },
    ],
    reconciledBy: 'PharmD Smoketest',
  });
  const item = await step('Give education', 201, 'POST', `/v1/encounters/${encounterId}/education`, {
    topic: 'Daily weights',
    audience: 'patient',
    language: 'en',
    method: 'demonstration',
  });
  await step(
    'Teach-back understood',
    200,
    'PUT',
    `/v1/encounters/${encounterId}/education/${(item.body as { itemId: string }).itemId}/teach-back`,
    { outcome: 'understood', educator: 'RN Smoketest' },
    { 'if-match': item.headers.get('etag') ?? '"1"' },
  );

  // A practitioner of its own and a slot on the hour three days out: reruns never compete for one.
  const start = new Date(Date.now() + 3 * 86_400_000);
  start.setUTCMinutes(0, 0, 0);
  const slot = await step('Publish a clinic slot', 201, 'POST', `/v1/practitioners/dr-smoke-${randomUUID().slice(0, 8)}/slots`, {
    clinic: 'Smoketest Clinic',
    slots: [{ start: start.toISOString(), end: new Date(start.getTime() + 30 * 60_000).toISOString() }],
    publishedBy: 'Scheduler Smoketest',
  });
  await step('Book the follow-up appointment', 201, 'POST', `/v1/encounters/${encounterId}/appointments`, {
    slotId: (slot.body as { slots: Array<{ slotId: string }> }).slots[0]!.slotId,
    reason: 'Post-discharge follow-up',
    bookedBy: 'CM Smoketest',
  });

  const order = await openTask('Discharge order task opened', 'discharge-order');
  // Services the proposed plan names (equipment, transport …) must be decided before discharge.
  const services = ((await call('GET', `/v1/encounters/${encounterId}`)).body?.dischargePlan?.services ?? []) as string[];
  if (services.length > 0) {
    await edit('Arrange the planned services', '/service-arrangements', {
      arrangements: services.map((service) => ({
        service,
        status: 'arranged',
        provider: 'Smoketest Supplies',
        scheduledFor: start.toISOString(),
        arrangedBy: 'CM Smoketest',
      })),
    });
  }
  await step('Sign the discharge order', 200, 'POST', `/v1/tasks/${order}/complete`, { outcome: 'completed' });

  await until(
    'Discharged, discharge planning SUCCEEDED',
    `/v1/encounters/${encounterId}`,
    (body) => (body.status === 'discharged' && body.workflow?.status === 'SUCCEEDED' ? true : undefined),
    'status discharged and the workflow SUCCEEDED',
    // Where it stopped instead, e.g. waiting at "discharge requirements" for something missing.
    (body) => `; it is ${body.status}, the workflow ${body.workflow?.status} at "${body.workflow?.currentState}"`,
  );
  await until(
    'Follow-up started, contact task open',
    `/v1/tasks?encounterId=${encounterId}&status=open`,
    (body) => ((body.items as Array<{ type: string }>).some((task) => task.type === 'follow-up-contact') ? true : undefined),
    'an open follow-up-contact task',
  );
  await until(
    'Follow-up workflow running',
    `/v1/encounters/${encounterId}`,
    (body) => (body.followUpWorkflow?.status === 'RUNNING' ? true : undefined),
    'followUpWorkflow RUNNING',
  );
  return { encounterId, steps };
}

const USAGE =
  'Usage: npm run smoke -- --api URL (--token TOKEN | --token-url URL --client-id ID --client-secret SECRET [--scope "carepath/facility.F1 carepath/role.integration-client"]) [--wait-seconds 60]';

export async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        api: { type: 'string' },
        token: { type: 'string' },
        'token-url': { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        scope: { type: 'string' },
        'wait-seconds': { type: 'string' },
      },
    }).values as Record<string, string | undefined>;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const clientSecret = values['client-secret'] ?? process.env.SMOKE_CLIENT_SECRET;
  if (!values.api || (!values.token && !(values['token-url'] && values['client-id'] && clientSecret))) {
    console.error(USAGE);
    return 2;
  }
  const started = performance.now();
  try {
    const { encounterId, steps } = await walkDischarge({
      api: values.api,
      ...(values.token ? { token: values.token } : {}),
      ...(values['token-url'] ? { tokenUrl: values['token-url'] } : {}),
      ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
      ...(clientSecret ? { clientSecret } : {}),
      ...(values.scope ? { scope: values.scope } : {}),
      ...(values['wait-seconds'] ? { waitMs: Number(values['wait-seconds']) * 1000 } : {}),
    });
    console.log(`OK: ${steps.length} steps in ${Math.round(performance.now() - started)} ms (synthetic encounter ${encounterId})`);
    return 0;
  } catch (error) {
    console.error(error instanceof SmokeFailedError ? error.message : `FAILED: ${(error as Error).name}: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
