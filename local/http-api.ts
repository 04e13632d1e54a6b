import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { verifyLocalToken } from './auth';
import { corsFromTemplate, preflightResponse, withCorsHeaders, type CorsConfiguration } from './cors';
import type { LocalLambdaRuntime } from './lambda-runtime';
import type { LocalTemplate } from './template';

export interface LocalRoute {
  routeKey: string;
  method: string;
  pattern: RegExp;
  paramNames: string[];
  functionArn: string;
  /** JWT: a bearer token is checked (locally against the local signing key, see local/auth.ts). */
  authorization: 'NONE' | 'JWT' | 'AWS_IAM' | 'CUSTOM';
}

/** Routes of every AWS::ApiGatewayV2::Route in the template, most specific first. */
export function routesFromTemplate(template: LocalTemplate): LocalRoute[] {
  const routes: LocalRoute[] = [];
  for (const [logicalId] of template.ofType('AWS::ApiGatewayV2::Route')) {
    const props = template.properties(logicalId) as { RouteKey: string; Target?: string; AuthorizationType?: LocalRoute['authorization'] };
    const integrationId = props.Target?.replace(/^integrations\//, '');
    if (!integrationId) continue;
    const integration = template.properties(integrationId) as { IntegrationType: string; IntegrationUri: string };
    if (integration.IntegrationType !== 'AWS_PROXY') continue;
    const [method, routePath = ''] = props.RouteKey === '$default' ? ['ANY', '/{proxy+}'] : props.RouteKey.split(' ');
    const paramNames: string[] = [];
    const source = routePath
      .split('/')
      .map((segment) => {
        const greedy = /^\{(.+)\+\}$/.exec(segment);
        if (greedy) {
          paramNames.push(greedy[1]!);
          return '(.+)';
        }
        const param = /^\{(.+)\}$/.exec(segment);
        if (param) {
          paramNames.push(param[1]!);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    routes.push({
      routeKey: props.RouteKey,
      method: method!,
      pattern: new RegExp(`^${source}$`),
      paramNames,
      functionArn: integration.IntegrationUri,
      authorization: props.AuthorizationType ?? 'NONE',
    });
  }
  // Literal routes beat parameterised ones, which beat greedy ones, as API Gateway matches.
  const rank = (route: LocalRoute) => (route.routeKey.includes('+}') ? 2 : route.paramNames.length > 0 ? 1 : 0);
  return routes.sort((a, b) => rank(a) - rank(b));
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|hl7-v2|.*\+json|.*\+xml|.*\+er7))|^x-application\/hl7-v2/;

/** The HTTP request as an API Gateway HTTP API (payload format 2.0) event. */
export function toProxyEvent(
  request: IncomingMessage,
  body: Buffer,
  route: LocalRoute,
  match: RegExpExecArray,
  port: number,
  claims?: Record<string, unknown>,
) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const pathParameters = Object.fromEntries(route.paramNames.map((name, i) => [name, decodePath(match[i + 1]!) ?? match[i + 1]!]));
  const isText = TEXT_TYPES.test(headers['content-type'] ?? 'text/plain');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: request.headers.cookie?.split(';').map((c) => c.trim()),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: route.paramNames.length ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: `127.0.0.1:${port}`,
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      // As API Gateway's JWT authorizer hands them on: claims as strings, scopes split out.
      ...(claims
        ? {
            authorizer: {
              jwt: {
                claims: Object.fromEntries(
                  Object.entries(claims).map(([k, v]) => [
                    k,
                    typeof v === 'string' ? v : Array.isArray(v) ? `[${v.join(' ')}]` : JSON.stringify(v),
                  ]),
                ),
                scopes: typeof claims.scope === 'string' ? claims.scope.split(' ') : null,
              },
            },
          }
        : {}),
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** A path decoded, or undefined when its percent-encoding is malformed (decodeURIComponent throws a URIError). */
export function decodePath(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Every answer goes out through here, with the API's CORS headers applied as API Gateway applies them. */
function send(
  response: ServerResponse,
  cors: CorsConfiguration | undefined,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
) {
  response.writeHead(status, withCorsHeaders(cors, response.req.headers.origin, headers));
  response.end(body);
}

/** Maps a payload-2.0 Lambda result to the HTTP response, as API Gateway does. */
function writeResult(response: ServerResponse, cors: CorsConfiguration | undefined, result: unknown) {
  const structured = result && typeof result === 'object' && 'statusCode' in result;
  if (!structured) {
    send(response, cors, 200, { 'content-type': 'application/json' }, JSON.stringify(result));
    return;
  }
  const r = result as {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
    cookies?: string[];
  };
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  if (r.cookies?.length) headers['set-cookie'] = r.cookies.join(', ');
  const body = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
  send(response, cors, r.statusCode, headers, body);
}

export interface LocalHttpApi {
  url: string;
  port: number;
  routes: LocalRoute[];
  close(): Promise<void>;
}

/** An HTTP server that routes the template's routes to the same handler code, as API Gateway would. */
export async function startHttpApi(
  template: LocalTemplate,
  lambdas: LocalLambdaRuntime,
  options: {
    port: number;
    host?: string;
    /** Local-only endpoints under /_local/ (not part of the template), keyed "METHOD /path/{param}". */
    localRoutes?: Record<string, (param: string) => Promise<{ status: number; body: unknown }>>;
    log?: (line: string) => void;
  },
): Promise<LocalHttpApi> {
  const routes = routesFromTemplate(template);
  const cors = corsFromTemplate(template);
  let port = options.port;
  // Node's default 16 KB header limit would answer an oversized token 431 before the authorizer
  // sees it; the authorizer answers 401 to any token over MAX_TOKEN_BYTES instead.
  const server = http.createServer({ maxHeaderSize: 128 * 1024 }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client that goes away mid-request must not take the stack with it (an 'error' without a listener throws).
    request.on('error', () => response.destroy());
    request.on('end', () => {
      // Nothing a request carries may end the stack: whatever escapes is a bare 500 for this request alone.
      answer().catch((error: Error) => {
        options.log?.(`${request.method} request failed: ${error.name}`);
        if (!response.headersSent)
          send(response, cors, 500, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Internal Server Error' }));
        else response.destroy();
      });
    });
    const answer = async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = request.method ?? 'GET';
      // A malformed escape (`%E0%A4%A`) is the client's mistake, anywhere in the path, whatever the route.
      if (decodePath(url.pathname) === undefined) {
        send(
          response,
          cors,
          400,
          { 'content-type': 'application/json' },
          JSON.stringify({ message: 'The path has malformed percent-encoding' }),
        );
        return;
      }
      // A preflight never reaches a route or the authorizer when the API has a CORS configuration.
      const preflight = method === 'OPTIONS' ? preflightResponse(cors, request.headers) : undefined;
      if (preflight) {
        response.writeHead(preflight.status, preflight.headers);
        response.end();
        return;
      }
      for (const [key, run] of Object.entries(options.localRoutes ?? {})) {
        const [routeMethod, routePath] = key.split(' ') as [string, string];
        const match = new RegExp(`^${routePath.replace(/\{[^}]+\}/, '([^/]+)')}$`).exec(url.pathname);
        if (routeMethod === method && match) {
          // A failing function (say, refused by IAM) is a 500 here, not an unhandled rejection in the stack's process.
          const result = await run(decodePath(match[1] ?? '') ?? '').catch((error: Error) => ({
            status: 500,
            body: { message: 'The function failed', errorType: error.name },
          }));
          send(response, cors, result.status, { 'content-type': 'application/json' }, JSON.stringify(result.body));
          return;
        }
      }
      let matched: { route: LocalRoute; match: RegExpExecArray } | undefined;
      for (const route of routes) {
        const match = route.pattern.exec(url.pathname);
        if (match && (route.method === method || route.method === 'ANY')) {
          matched = { route, match };
          break;
        }
      }
      if (!matched) {
        send(response, cors, 404, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Not Found' }));
        return;
      }
      let claims: Record<string, unknown> | undefined;
      if (matched.route.authorization === 'JWT') {
        claims = await verifyLocalToken(request.headers.authorization);
        if (!claims) {
          send(
            response,
            cors,
            401,
            { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
            JSON.stringify({ message: 'Unauthorized' }),
          );
          return;
        }
      }
      try {
        const event = toProxyEvent(request, Buffer.concat(chunks), matched.route, matched.match, port, claims);
        writeResult(response, cors, await lambdas.invoke(matched.route.functionArn, event));
      } catch (error) {
        // API Gateway hides function errors behind a bare 500; so do we.
        options.log?.(`${matched.route.routeKey}: ${(error as Error).name}`);
        send(response, cors, 500, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Internal Server Error' }));
      }
    };
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
