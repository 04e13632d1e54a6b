import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logger } from './logger';
import { tracer } from './tracer';

/**
 * What every handler's middy chain starts with: the logger with the invocation's context (and
 * nothing left from the previous one), and the handler traced as a subsegment, its response not
 * recorded.
 */
export const observed = () => [injectLambdaContext(logger, { resetKeys: true }), captureLambdaHandler(tracer, { captureResponse: false })];
