import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '../observability/logger';

/** Thrown when a state hands a step input it cannot read: a bug in the definition, never retried. */
export class InvalidStepInputError extends Error {
  override name = 'InvalidStepInputError';
}

/**
 * The edge of every workflow task handler: validate the state's input, run the plain function,
 * let named errors through so the state machine can Retry or Catch them by name.
 */
export function workflowStep<I, O>(schema: z.ZodType<I>, run: (input: I) => Promise<O>) {
  return middy<unknown, O, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
        throw new InvalidStepInputError(`Invalid step input: ${fields}`);
      }
      return run(parsed.data);
    });
}
