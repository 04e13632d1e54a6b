import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export interface FieldIssue {
  field: string;
  reason: string;
}

export function problem(statusCode: number, error: string, message: string, issues?: FieldIssue[]): HttpResult {
  return json(statusCode, issues ? { error, message, issues } : { error, message });
}
