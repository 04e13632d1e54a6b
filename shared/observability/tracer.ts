import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The one tracer (X-Ray, active on every function). It records calls to DynamoDB and Step
 * Functions as subsegments and annotates ids only; responses are never captured (they hold PHI).
 * Off outside Lambda (no AWS_EXECUTION_ENV): locally nothing is sent anywhere.
 */
export const tracer = new Tracer({ serviceName: 'carepath', captureHTTPsRequests: false });
