import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { logger } from '../observability/logger';
import { observed } from '../observability/middleware';
import { tracer } from '../observability/tracer';
import { actingAs } from '../store/change-stamp';
import { stepDeps, type StepDeps } from './deps';

/** What every Lambda state adds to its payload so its writes and its run are audited by name. */
const stepContext = z.object({ executionArn: z.string().optional(), state: z.string().optional() });

const executionName = (arn: string | undefined) => arn?.split(':').at(-1);

/** Thrown when a state hands a step input it cannot read: a bug in the definition, never retried. */
export class InvalidStepInputError extends Error {
  override name = 'InvalidStepInputError';
}

/**
 * The edge of every workflow task handler: validate the state's input, run the plain function
 * with the step's ports, let named errors through so the state machine can Retry or Catch them by name.
 */
export function workflowStep<I, O>(schema: z.ZodType<I>, run: (input: I, deps: StepDeps) => Promise<O>) {
  return middy<unknown, O, Error, Context>()
    .use(observed())
    .handler(async (event) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
        throw new InvalidStepInputError(`Invalid step input: ${fields}`);
      }
      const context = stepContext.safeParse(event);
      const { executionArn, state } = context.success ? context.data : {};
      const who = executionName(executionArn) ?? 'workflow';
      const encounterId = (parsed.data as { encounterId?: unknown })?.encounterId;
      logger.appendKeys({ execution: who, state, ...(typeof encounterId === 'string' ? { encounterId } : {}) });
      tracer.putAnnotation('execution', who);
      if (state) tracer.putAnnotation('state', state);
      const deps = stepDeps();
      return actingAs({ who, role: 'workflow', ...(state ? { via: state } : {}) }, async () => {
        const started = performance.now();
        const result = await run(parsed.data, deps);
        await recordStepRun(parsed.data, who, state, deps);
        // One line per step, ids only: with the execution and state keys it traces a stay's workflow.
        logger.info('Workflow step done', { durationMs: Math.round(performance.now() - started) });
        return result;
      });
    });
}

/**
 * Every Lambda state that ran for an encounter is recorded once per execution (a retried state
 * finds its record and adds nothing); the audit trail picks the record up from the stream and
 * places it under the encounter's patient, as it does for every item that names only its encounter.
 */
async function recordStepRun(input: unknown, execution: string, state: string | undefined, deps: StepDeps): Promise<void> {
  const encounterId = (input as { encounterId?: unknown })?.encounterId;
  if (typeof encounterId !== 'string' || !state) return;
  await deps.audit.recordStepRun({ encounterId, execution, state, at: deps.now().toISOString() });
}
