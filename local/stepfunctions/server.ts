/**
 * HTTP front for LocalStepFunctions speaking the real Step Functions wire protocol (AWS JSON 1.0),
 * so unchanged @aws-sdk/client-sfn code works with `endpoint: <url>`. The same endpoint takes
 * EventBridge's PutEvents (AWS JSON 1.1), so the console shows care events beside executions.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { LocalEventBridge } from '../eventbridge';
import type { IamEnforcement, Requirement } from '../iam/enforcement';
import { SfnApiError, type LocalStepFunctions } from './service';

const CONSOLE_HTML = readFileSync(path.resolve(import.meta.dirname, '../console/index.html'));
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const EVENTS_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSStepFunctions.';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

type Operation = (service: LocalStepFunctions, input: never) => Promise<unknown>;

// x-amz-target operation name → service method. The service validates field types itself.
const OPERATIONS: Record<string, Operation> = {
  StartExecution: (s, i) => s.startExecution(i),
  DescribeExecution: (s, i) => s.describeExecution(i),
  StopExecution: (s, i) => s.stopExecution(i),
  RedriveExecution: (s, i) => s.redriveExecution(i),
  ListExecutions: (s, i) => s.listExecutions(i),
  GetExecutionHistory: (s, i) => s.getExecutionHistory(i),
  ListStateMachines: (s, i) => s.listStateMachines(i),
  DescribeStateMachine: (s, i) => s.describeStateMachine(i),
  SendTaskSuccess: (s, i) => s.sendTaskSuccess(i),
  SendTaskFailure: (s, i) => s.sendTaskFailure(i),
  SendTaskHeartbeat: (s, i) => s.sendTaskHeartbeat(i),
};

export async function startStepFunctionsServer(
  service: LocalStepFunctions,
  opts: {
    port: number;
    host?: string;
    log?: (line: string) => void;
    eventBridge?: LocalEventBridge;
    /** The local Carepath API, once it runs: the console reads tasks through /carepath/* (same origin, no CORS). */
    carepathApiUrl?: () => string | undefined;
    /** Function log lines, for `GET /_local/logs?contains=` (tests search them for PHI). */
    functionLogs?: () => readonly string[];
    /** Authorizes callers signing as a function's role (others are not checked). */
    iam?: IamEnforcement;
  },
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(service, req, res, opts.log, opts.eventBridge, opts.carepathApiUrl, opts.functionLogs, opts.iam).catch((err: unknown) => {
      opts.log?.(`[stepfunctions] request handling failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) send(res, 500, { __type: 'InternalFailure', message: 'Internal error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // The SDK keeps connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

async function handle(
  service: LocalStepFunctions,
  req: IncomingMessage,
  res: ServerResponse,
  log: ((line: string) => void) | undefined,
  eventBridge: LocalEventBridge | undefined,
  carepathApiUrl: (() => string | undefined) | undefined,
  functionLogs: (() => readonly string[]) | undefined,
  iam: IamEnforcement | undefined,
): Promise<void> {
  if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) {
    // The operators' view: a page that reads executions through this same API.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(CONSOLE_HTML);
    return;
  }
  const target = req.headers['x-amz-target'];
  if (req.method === 'GET' && req.url?.startsWith('/carepath/v1/')) {
    // Reads of the Carepath API for the console, with the caller's own bearer token (never one of ours).
    const api = carepathApiUrl?.();
    if (!api) return send(res, 503, { message: 'The Carepath API is not running' }, 'application/json');
    const upstream = await fetch(`${api}${req.url.slice('/carepath'.length)}`, {
      headers: typeof req.headers.authorization === 'string' ? { authorization: req.headers.authorization } : {},
    });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
    return;
  }
  if (functionLogs && req.method === 'GET' && req.url?.startsWith('/_local/logs')) {
    // Local only: how many function log lines there are, and the first few holding `contains`.
    // `limit` widens the sample for a test that must find its own line among other tests' (default 5).
    const query = new URL(req.url, 'http://local').searchParams;
    const contains = query.get('contains') ?? '';
    const limit = Math.max(1, Number(query.get('limit')) || 5);
    const lines = functionLogs();
    const matching = contains ? lines.filter((line) => line.includes(contains)) : [];
    return send(res, 200, { lines: lines.length, matches: matching.length, sample: matching.slice(0, limit) }, 'application/json');
  }
  if (req.method === 'POST' && req.url === '/_local/time-out') {
    // Local only: fire a waiting state's timeout now (see LocalStepFunctions.timeOutWaitingState).
    const { executionArn, state } = JSON.parse((await readBody(req))?.toString('utf8') || '{}') as {
      executionArn?: string;
      state?: string;
    };
    if (typeof executionArn !== 'string' || typeof state !== 'string')
      return send(res, 400, { message: 'executionArn and state are required' }, 'application/json');
    const timedOut = service.timeOutWaitingState(executionArn, state);
    return send(res, timedOut ? 200 : 404, { timedOut }, 'application/json');
  }
  if (eventBridge && req.method === 'GET' && req.url?.startsWith('/_local/events')) {
    const query = new URL(req.url, 'http://local').searchParams;
    return send(
      res,
      200,
      {
        events: eventBridge.list({ detailType: query.get('detailType') ?? undefined, encounterId: query.get('encounterId') ?? undefined }),
      },
      'application/json',
    );
  }
  if (eventBridge && typeof target === 'string' && target.startsWith('AWSEvents.')) {
    const body = await readBody(req);
    if (target !== 'AWSEvents.PutEvents')
      return send(res, 400, { __type: 'UnknownOperationException', message: `Locally only PutEvents: '${target}'` }, EVENTS_CONTENT_TYPE);
    let input: { Entries?: [] };
    try {
      input = JSON.parse(body?.toString('utf8') || '{}') as { Entries?: [] };
    } catch {
      return send(res, 400, { __type: 'SerializationException', message: 'Request body is not valid JSON' }, EVENTS_CONTENT_TYPE);
    }
    const principal = iam?.principalOfAuthorization(req.headers.authorization);
    if (iam && principal) {
      const entries = (Array.isArray(input.Entries) ? input.Entries : []) as Array<{ EventBusName?: string }>;
      const buses = [...new Set(entries.map((entry) => iam.eventBusArn(entry.EventBusName)))];
      const denial = iam.authorize(
        principal,
        buses.map((resource) => ({ action: 'events:PutEvents', resource })),
      );
      if (denial) return send(res, 400, { __type: 'AccessDeniedException', message: denial.message }, EVENTS_CONTENT_TYPE);
    }
    return send(res, 200, eventBridge.putEvents(input), EVENTS_CONTENT_TYPE);
  }
  const operationName = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const operation = OPERATIONS[operationName];
  const body = await readBody(req);
  if (req.method !== 'POST' || !operation) {
    return sendError(res, 'UnknownOperationException', `Unknown operation: '${String(target ?? '')}'`);
  }
  if (body === undefined) return sendError(res, 'ValidationException', 'Request body too large');

  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return sendError(res, 'SerializationException', 'Request body is not valid JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return sendError(res, 'SerializationException', 'Request body must be a JSON object');
  }

  const principal = iam?.principalOfAuthorization(req.headers.authorization);
  if (iam && principal) {
    const denial = iam.authorize(principal, sfnRequirements(service, operationName, input as Record<string, unknown>));
    if (denial) return sendError(res, 'AccessDeniedException', denial.message);
  }

  try {
    const output = await operation(service, input as never);
    send(res, 200, toWire(output));
  } catch (err) {
    if (err instanceof SfnApiError) return sendError(res, err.type, err.message);
    // Unexpected: keep details (which might echo execution data) out of the response.
    // Names only: messages can quote execution input, which holds patient data.
    log?.(`[stepfunctions] ${operationName} failed: ${err instanceof Error ? err.name : 'non-error thrown'}`);
    send(res, 500, { __type: 'InternalFailure', message: 'Internal error' });
  }
}

/**
 * The IAM action and resource of one Step Functions call (Service Authorization Reference, "Actions
 * defined by AWS Step Functions"): executions are authorized on the execution ARN, starts and lists
 * on the state machine. SendTask* name no resource in the request; AWS authorizes them on the state
 * machine the token belongs to, which is what CDK's grantTaskResponse grants.
 */
function sfnRequirements(service: LocalStepFunctions, operation: string, input: Record<string, unknown>): Requirement[] {
  const text = (value: unknown) => (typeof value === 'string' ? value : '*');
  const action = `states:${operation}`;
  switch (operation) {
    case 'StartExecution':
    case 'ListExecutions':
    case 'DescribeStateMachine':
      return [{ action, resource: text(input.stateMachineArn) }];
    case 'DescribeExecution':
    case 'StopExecution':
    case 'RedriveExecution':
    case 'GetExecutionHistory':
      return [{ action, resource: text(input.executionArn) }];
    case 'SendTaskSuccess':
    case 'SendTaskFailure':
    case 'SendTaskHeartbeat': {
      // A token this endpoint never issued names no state machine to authorize on: the service then
      // answers InvalidToken (or TaskTimedOut) and changes nothing, which is what the caller learns on AWS too.
      const machine = service.stateMachineOfToken(text(input.taskToken));
      return machine ? [{ action, resource: machine }] : [];
    }
    default:
      return [{ action, resource: '*' }];
  }
}

/** Reads the whole body; undefined if it exceeds MAX_BODY_BYTES (the rest is drained and dropped). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined;
}

function sendError(res: ServerResponse, type: string, message: string): void {
  // The SDK maps `__type` (text after '#') to its typed exception classes, e.g. ExecutionDoesNotExist.
  send(res, 400, { __type: `com.amazonaws.states#${type}`, message });
}

function send(res: ServerResponse, status: number, body: unknown, contentType = CONTENT_TYPE): void {
  const payload = Buffer.from(JSON.stringify(body ?? {}));
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': payload.length,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(payload);
}

/** AWS JSON 1.0 sends timestamps as epoch seconds. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}
