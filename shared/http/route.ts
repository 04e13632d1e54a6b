import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { ZodError } from 'zod';
import { ports, type Ports } from '../care/ports';
import { ConflictError, NotFoundError, PreconditionFailedError, PreconditionRequiredError, ValidationError } from '../domain/errors';
import { cleanJsonText } from '../domain/text-hygiene';
import { nonStrictObjectPaths } from '../schemas/strict';
import { logger } from '../observability/logger';
import { observed } from '../observability/middleware';
import { tracer } from '../observability/tracer';
import { actingAs } from '../store/change-stamp';
import { actorOf, ForbiddenError, UnauthorizedError, type Caller } from './caller';
import { authenticate } from './token';
import { problem, type FieldIssue, type HttpResult } from './responses';

export interface RouteRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  headers: Record<string, string | undefined>;
  caller: Caller;
  /** The route key that matched ("GET /v1/encounters/{id}/goals-of-care"): for a handler serving several routes. */
  routeKey: string;
  /** The stores and the clock: a route reads the time and the records through these, never directly. */
  ports: Ports;
}

export interface RouteSpec<B, Q, P> {
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
}

class BadRequestError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super('The request is not valid');
  }
}

/** zod's issues as the API's field issues; an unknown key is named itself (`data.dat`), not its parent. */
export function zodIssues(error: ZodError, prefix: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map(String)].filter(Boolean);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...at, key].join('.'), reason: 'unknown field' }));
    return [{ field: at.join('.'), reason: issue.message }];
  });
}

function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, prefix: string): T {
  if (!schema) return value as T;
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new BadRequestError(zodIssues(parsed.error, prefix));
  return parsed.data;
}

/** Far above any care record a person writes, well below DynamoDB's 400 KB item: a bigger body is a mistake or an attack. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
}

class UnsupportedMediaTypeError extends Error {
  override name = 'UnsupportedMediaTypeError';
  constructor(readonly reason: string) {
    super('Send the body as application/json');
  }
}

/**
 * Why a body with this Content-Type is not taken as JSON, or undefined when it is JSON
 * (application/json or application/*+json, charset UTF-8 if named: RFC 8259 JSON is UTF-8).
 * A body sent as XML or a form is the client's mistake; parsing it anyway would hide that.
 */
export function jsonContentTypeProblem(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return 'is missing; send application/json';
  const [mediaType = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9!#$&^_.+-]+\+json$/.test(mediaType)) {
    return `is ${mediaType || 'empty'}; send application/json`;
  }
  const charset = parameters
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `names charset ${charset}; JSON is UTF-8`;
  return undefined;
}

function headerValue(headers: Record<string, string | undefined> | undefined, name: string): string | undefined {
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

function readBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const mediaProblem = jsonContentTypeProblem(headerValue(event.headers, 'content-type'));
  if (mediaProblem) throw new UnsupportedMediaTypeError(mediaProblem);
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES)
    throw new PayloadTooLargeError(`A request body is at most ${MAX_JSON_BODY_BYTES / 1024} KiB`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequestError([{ field: 'body', reason: 'is not valid JSON' }]);
  }
  // Every string of every body, once, before any schema sees it: refused characters are 400, the rest NFC.
  const { value, issues } = cleanJsonText(parsed);
  if (issues.length) throw new BadRequestError(issues);
  return value;
}

/** Domain errors become 4xx with their message; anything else is a 500 that reveals nothing. */
export function errorResponse(error: unknown): HttpResult {
  if (error instanceof UnauthorizedError) return problem(401, 'Unauthorized', error.message);
  if (error instanceof ForbiddenError) return problem(403, 'Forbidden', error.message);
  if (error instanceof BadRequestError) return problem(400, 'BadRequest', error.message, error.issues);
  if (error instanceof UnsupportedMediaTypeError)
    return problem(415, 'UnsupportedMediaType', error.message, [{ field: 'header.content-type', reason: error.reason }]);
  if (error instanceof PayloadTooLargeError)
    return problem(413, 'PayloadTooLarge', error.message, [{ field: 'body', reason: `larger than ${MAX_JSON_BODY_BYTES / 1024} KiB` }]);
  if (error instanceof ValidationError) return problem(400, 'BadRequest', error.message, [...error.issues]);
  if (error instanceof NotFoundError) return problem(404, 'NotFound', error.message);
  if (error instanceof ConflictError) return problem(409, 'Conflict', error.message);
  if (error instanceof PreconditionFailedError) return problem(412, 'PreconditionFailed', error.message);
  if (error instanceof PreconditionRequiredError) return problem(428, 'PreconditionRequired', error.message);
  logger.error('Unhandled error', { errorName: (error as Error)?.name });
  return problem(500, 'InternalError', 'Something went wrong; the request was not completed');
}

/**
 * The edge of every HTTP handler: validate path, query and body with zod (400 listing each bad
 * field and why), call the plain function, map domain errors to statuses.
 */
export function httpRoute<B = undefined, Q = undefined, P = undefined>(
  spec: RouteSpec<B, Q, P>,
  run: (request: RouteRequest<B, Q, P>) => Promise<HttpResult>,
) {
  // By construction, not by review: a body schema that would drop an unknown field fails at load (and in test/unit/strict-bodies.test.ts).
  const loose = spec.body ? nonStrictObjectPaths(spec.body) : [];
  if (loose.length)
    throw new Error(`A request body schema must refuse unknown fields (z.strictObject); not strict at: ${loose.join(', ')}`);
  const handler = middy<APIGatewayProxyEventV2, HttpResult, Error, Context>()
    .use(observed())
    .handler(async (event) => {
      // Correlation ids only: the API's request id, the route, and the ids in the path (never a body).
      logger.appendKeys({ requestId: event.requestContext?.requestId, route: event.routeKey, ids: event.pathParameters });
      tracer.putAnnotation('route', event.routeKey);
      try {
        const caller = await authenticate(event);
        const request: RouteRequest<B, Q, P> = {
          caller,
          params: parsePart(spec.params, event.pathParameters, 'path'),
          query: parsePart(spec.query, event.queryStringParameters, 'query'),
          body: parsePart(spec.body, spec.body ? readBody(event) : undefined, ''),
          headers: event.headers ?? {},
          routeKey: event.routeKey,
          ports: ports(),
        };
        // Every write this request makes is stamped with the client, for the audit trail.
        return await actingAs(actorOf(caller, event), () => run(request));
      } catch (error) {
        return errorResponse(error);
      }
    });
  // The spec travels with the handler so tests can walk every route's schemas.
  return Object.assign(handler, { spec });
}
