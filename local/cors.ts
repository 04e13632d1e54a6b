import type { LocalTemplate } from './template';

/** The HTTP API's CorsConfiguration (AWS::ApiGatewayV2::Api) as CloudFormation names it. */
export interface CorsConfiguration {
  AllowOrigins?: string[];
  AllowMethods?: string[];
  AllowHeaders?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
  AllowCredentials?: boolean;
}

/** The template's one HTTP API's CORS configuration; none when the API has none (then no CORS headers at all, as on AWS). */
export function corsFromTemplate(template: LocalTemplate): CorsConfiguration | undefined {
  const [api] = template.ofType('AWS::ApiGatewayV2::Api');
  if (!api) return undefined;
  return (template.properties(api[0]) as { CorsConfiguration?: CorsConfiguration }).CorsConfiguration;
}

const listed = (list: string[] | undefined, value: string, caseInsensitive: boolean) =>
  (list ?? []).some((entry) => entry === '*' || (caseInsensitive ? entry.toLowerCase() === value.toLowerCase() : entry === value));

/** Who may read the answer: the allowed origin (or `*` when any origin is allowed without credentials). */
const allowedOriginHeaders = (cors: CorsConfiguration, origin: string): Record<string, string> => ({
  'access-control-allow-origin': cors.AllowOrigins!.includes('*') && !cors.AllowCredentials ? '*' : origin,
  ...(cors.AllowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
  vary: 'origin',
});

/**
 * What API Gateway does with CORS for an HTTP API (developer guide, "Configure CORS for HTTP APIs"):
 * with a configuration it answers preflight OPTIONS itself (no route, no authorizer), adds the
 * configured headers to responses for an allowed Origin, and ignores CORS headers the integration
 * returns. Locally the same, so a browser app on its own origin fails here exactly when it would on AWS.
 */
export function preflightResponse(
  cors: CorsConfiguration | undefined,
  headers: Record<string, string | string[] | undefined>,
): { status: number; headers: Record<string, string> } | undefined {
  const origin = headers.origin;
  const requestedMethod = headers['access-control-request-method'];
  if (!cors || typeof origin !== 'string' || typeof requestedMethod !== 'string') return undefined;
  if (!listed(cors.AllowOrigins, origin, false) || !listed(cors.AllowMethods, requestedMethod, true)) return { status: 204, headers: {} };
  const requestedHeaders =
    typeof headers['access-control-request-headers'] === 'string'
      ? headers['access-control-request-headers']
          .split(',')
          .map((h) => h.trim())
          .filter(Boolean)
      : [];
  if (!requestedHeaders.every((header) => listed(cors.AllowHeaders, header, true))) return { status: 204, headers: {} };
  return {
    status: 204,
    headers: {
      ...allowedOriginHeaders(cors, origin),
      'access-control-allow-methods': (cors.AllowMethods ?? []).join(','),
      ...(requestedHeaders.length ? { 'access-control-allow-headers': requestedHeaders.join(',') } : {}),
      ...(cors.MaxAge !== undefined ? { 'access-control-max-age': String(cors.MaxAge) } : {}),
    },
  };
}

/** A routed response's headers: the integration's CORS headers dropped, the configured ones added for an allowed Origin. */
export function withCorsHeaders(
  cors: CorsConfiguration | undefined,
  origin: string | string[] | undefined,
  headers: Record<string, string>,
): Record<string, string> {
  if (!cors) return headers;
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.toLowerCase().startsWith('access-control-')));
  if (typeof origin !== 'string' || !listed(cors.AllowOrigins, origin, false)) return kept;
  return {
    ...kept,
    ...allowedOriginHeaders(cors, origin),
    ...(cors.ExposeHeaders?.length ? { 'access-control-expose-headers': cors.ExposeHeaders.join(',') } : {}),
  };
}
