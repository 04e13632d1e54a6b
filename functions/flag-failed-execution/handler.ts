import middy from '@middy/core';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { NotFoundError } from '../../shared/domain/errors';
import { logger } from '../../shared/observability/logger';
import { observed } from '../../shared/observability/middleware';
import { actingAs } from '../../shared/store/change-stamp';
import { sfnClient } from '../../shared/store/clients';
import { ports } from '../../shared/care/ports';
import type { StepDeps } from '../../shared/workflow/deps';
import { openOperatorTask } from '../../shared/care/operations/operator-task';
import { stoppedIn } from '../../shared/care/operations/stopped-in';

/** The part of EventBridge's "Step Functions Execution Status Change" event this reads. */
const statusChange = z.object({
  detail: z.object({
    executionArn: z.string().min(1),
    status: z.enum(['FAILED', 'TIMED_OUT']),
    /** Absent when over 256 KB; then read from the execution. */
    input: z.string().nullish(),
    error: z.string().nullish(),
    /** Only read when the execution ended in one of our Fail states, whose causes are fixed text. */
    cause: z.string().nullish(),
    redriveCount: z.number().int().nonnegative().nullish(),
  }),
});
export type ExecutionStatusChange = z.infer<typeof statusChange>;

export interface FlagDeps extends StepDeps {
  /** The execution's history, newest first (enough of it to find the last states entered). */
  recentHistory: (executionArn: string) => Promise<Array<{ type?: string; stateEnteredEventDetails?: { name?: string } }>>;
  executionInput: (executionArn: string) => Promise<string | undefined>;
}

/**
 * A workflow execution failed or timed out: the operators get an urgent task naming the
 * execution and the state it stopped in, so they can fix the cause and redrive it from there.
 * Step failures are deliberately not caught in the definitions — a caught failure would end in a
 * Fail state, and a redrive would only re-enter that. Stops through "Needs attention: …" states
 * already opened their task; this finds it by the same key and opens nothing twice (and opens it
 * if that state could not).
 */
export async function flagFailedExecution(event: ExecutionStatusChange, deps: FlagDeps) {
  const { detail } = event;
  const input = detail.input ?? (await deps.executionInput(detail.executionArn));
  const encounterId = (JSON.parse(input ?? '{}') as { encounterId?: unknown }).encounterId;
  if (typeof encounterId !== 'string') {
    logger.warn('Failed execution without an encounter: no operator task', { execution: detail.executionArn.split(':').at(-1) });
    return { opened: false };
  }
  const stop = stoppedIn(await deps.recentHistory(detail.executionArn)) ?? { state: 'the execution', throughFailState: false };
  const redriveCount = detail.redriveCount ?? 0;
  const reason =
    stop.throughFailState && detail.cause
      ? detail.cause.slice(0, 200)
      : detail.status === 'TIMED_OUT'
        ? `The execution ran past its time limit in "${stop.state}".`
        : `"${stop.state}" failed after its retries: see the error and the function logs, fix the cause, then redrive the execution.`;
  const task = await openOperatorTask(
    {
      encounterId,
      executionArn: detail.executionArn,
      state: stop.state,
      reason,
      ...(detail.error ? { errorName: detail.error.slice(0, 200) } : {}),
      // A redriven execution's own "Needs attention" states key their tasks without the run; keep that key.
      ...(stop.throughFailState ? {} : { redriveCount }),
    },
    deps,
  ).catch((error: Error) => {
    // Without its encounter there is no facility to route the task to; the alarm on failed executions still fires.
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (!task) {
    logger.warn('Failed execution of an unknown encounter: no operator task', { execution: detail.executionArn.split(':').at(-1) });
    return { opened: false };
  }
  logger.info('Failed execution flagged', {
    execution: detail.executionArn.split(':').at(-1),
    state: stop.state,
    status: detail.status,
    encounterId,
  });
  return { opened: true, ...task };
}

const deps = (): FlagDeps => ({
  ...ports(),
  recentHistory: async (executionArn) =>
    (
      await sfnClient().send(
        new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 50, includeExecutionData: false }),
      )
    ).events ?? [],
  executionInput: async (executionArn) => (await sfnClient().send(new DescribeExecutionCommand({ executionArn }))).input,
});

export const handler = middy<unknown, unknown, Error, Context>()
  .use(observed())
  .handler((event) => {
    const parsed = statusChange.safeParse(event);
    // A malformed event is logged and dropped: retrying cannot make it readable.
    if (!parsed.success) {
      logger.error('Unreadable execution status event', { fields: parsed.error.issues.map((i) => i.path.join('.')) });
      return Promise.resolve({ opened: false });
    }
    return actingAs({ who: 'failed-execution-watch', role: 'system' }, () => flagFailedExecution(parsed.data, deps()));
  });
