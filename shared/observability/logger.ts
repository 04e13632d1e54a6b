import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Structured JSON with request ids. Never log an event, a body or a domain
 * object: they hold PHI. Log ids, names of errors and counts.
 */
export const logger = new Logger({ serviceName: 'carepath' });
