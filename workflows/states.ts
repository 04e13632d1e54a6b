import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { TaskType } from '../shared/domain/tasks';
import { payloadProblems, STEP_INPUTS } from '../shared/workflow/step-inputs';
import { handlerDirOf } from '../infra/constructs/service-function';

/**
 * The kinds of state every Carepath workflow is built from: a Lambda step, a person's step (a
 * task holding the task token), and a named stop with an operator task. Each workflow's
 * definition.ts composes them; the behaviour common to all (retries, audit payload) lives here.
 */
export const encounterId = sfn.JsonPath.stringAt('$.encounterId');

/** Optimistic-lock conflicts on the encounter are transient: reload and retry. */
const retryConflicts = (task: sfn.TaskStateBase) =>
  task.addRetry({
    errors: ['ConflictError'],
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });

/**
 * Faults that pass: DynamoDB throttling or a service error the SDK's own retries did not outlast
 * (the step lets them through by name), Lambda throttling, a crashed or timed-out runtime. Every
 * step is idempotent, so running it again is safe. (Lambda's own service errors are retried by
 * CDK's default Retry on every LambdaInvoke.)
 */
export const TRANSIENT_ERRORS = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'Lambda.TooManyRequestsException',
  'Runtime.ExitError',
  'Runtime.Unknown',
  // What Step Functions reports when the function ran out of memory or time without an error of its own.
  'Lambda.Unknown',
  'Sandbox.Timedout',
];
export const retryTransient = (task: sfn.TaskStateBase) =>
  task.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(2),
    maxAttempts: 4,
    backoffRate: 2,
    maxDelay: Duration.seconds(30),
    jitterStrategy: sfn.JitterType.FULL,
  });

/**
 * A Lambda state's payload, checked at synth against the input its step declares
 * (shared/workflow/step-inputs.ts, the schema the handler parses with): every key given must be
 * one the step reads, every key it requires must be given. A mismatch throws here, naming the
 * state, the function and the keys, instead of failing the execution with InvalidStepInputError.
 * Functions not built by ServiceFunction (a test's stand-ins) are not checked.
 */
export function checkedPayload(state: string, fn: IFunction, payload: Record<string, unknown>): sfn.TaskInput {
  const dir = handlerDirOf(fn);
  if (dir !== undefined) {
    const schema = (STEP_INPUTS as Record<string, (typeof STEP_INPUTS)[keyof typeof STEP_INPUTS]>)[dir];
    if (!schema)
      throw new Error(
        `State "${state}" invokes ${dir} (${fn.node.path}), which declares no input in STEP_INPUTS (shared/workflow/step-inputs.ts)`,
      );
    const { unknown, missing } = payloadProblems(schema.shape, Object.keys(payload));
    if (unknown.length > 0 || missing.length > 0) {
      const problems = [
        unknown.length > 0 ? `gives keys its input does not declare: ${unknown.join(', ')}` : '',
        missing.length > 0 ? `leaves out required keys: ${missing.join(', ')}` : '',
      ].filter(Boolean);
      throw new Error(
        `State "${state}" invokes ${dir} (${fn.node.path}) with a payload that ${problems.join('; and ')} (STEP_INPUTS['${dir}'] in shared/workflow/step-inputs.ts)`,
      );
    }
  }
  return sfn.TaskInput.fromObject(payload);
}

/** A state run by one Lambda step; its result lands at `resultPath`. */
export function step(scope: Construct, id: string, fn: IFunction, payload: Record<string, unknown>, resultPath: string, comment: string) {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    // Execution and state name every step's writes and its line in the audit trail.
    payload: checkedPayload(id, fn, { ...payload, executionArn: sfn.JsonPath.executionId, state: id }),
    payloadResponseOnly: true,
    resultPath,
    comment,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  retryConflicts(task);
  retryTransient(task);
  return task;
}

export interface AwaitPersonOptions {
  taskType: TaskType;
  /** A JSONPath into the state input, or a fixed value. */
  priority: string;
  dueInHours: string | number;
  timeout: Duration;
  resultPath: string;
  comment: string;
  /** For a step awaited more than once per execution: a JSONPath naming each round. */
  round?: string;
  /** A JSONPath to a list of what the person must do, shown on the task. */
  details?: string;
}

/** A human step: opens a task holding the task token and waits for its completion. */
export function awaitPerson(scope: Construct, id: string, fn: IFunction, options: AwaitPersonOptions) {
  const fromPath = (value: string) => (value.startsWith('$.') ? sfn.JsonPath.stringAt(value) : value);
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: checkedPayload(id, fn, {
      encounterId,
      executionArn: sfn.JsonPath.executionId,
      state: id,
      taskType: options.taskType,
      taskToken: sfn.JsonPath.taskToken,
      priority: fromPath(options.priority),
      dueInHours: typeof options.dueInHours === 'string' ? sfn.JsonPath.numberAt(options.dueInHours) : options.dueInHours,
      ...(options.round ? { round: sfn.JsonPath.stringAt(options.round) } : {}),
      ...(options.details ? { details: sfn.JsonPath.listAt(options.details) } : {}),
    }),
    resultPath: options.resultPath,
    taskTimeout: sfn.Timeout.duration(options.timeout),
    comment: options.comment,
  });
  // Opening the task again refreshes the same task's token (its id is derived from the execution).
  retryTransient(task);
  return task;
}

/**
 * A state waiting on a record outside the task list (a transfer, a grievance): the Lambda stores
 * the task token on the record; the API's change of the record resumes the execution through
 * the table stream. `awaiting` names what is waited for.
 */
export function awaitOnRecord(
  scope: Construct,
  id: string,
  fn: IFunction,
  options: { payload: Record<string, unknown>; awaiting: string; timeout: sfn.Timeout; resultPath: string; comment: string },
) {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: checkedPayload(id, fn, {
      ...options.payload,
      awaiting: options.awaiting,
      taskToken: sfn.JsonPath.taskToken,
      executionArn: sfn.JsonPath.executionId,
      state: id,
    }),
    resultPath: options.resultPath,
    taskTimeout: options.timeout,
    comment: options.comment,
  });
  retryTransient(task);
  return task;
}

export interface StopOptions {
  /** "Needs attention: …": the state that opens the operator task. */
  name: string;
  /** "… stopped: …": the Fail state after it. */
  stopped: string;
  error: string;
  cause: string;
  /** Whether a caught error is at `$.error` (its name goes on the task). */
  caught?: boolean;
}

/**
 * A stop operators must see: "Needs attention: …" opens an operator task (why, which execution,
 * the error name), then a Fail state stops the execution with a stable error code.
 */
export function stopWithOperatorTask(scope: Construct, openOperatorTask: IFunction, options: StopOptions) {
  const tell = new tasks.LambdaInvoke(scope, options.name, {
    lambdaFunction: openOperatorTask,
    payload: checkedPayload(options.name, openOperatorTask, {
      encounterId,
      executionArn: sfn.JsonPath.executionId,
      state: options.name,
      reason: options.cause,
      ...(options.caught !== false ? { error: sfn.JsonPath.objectAt('$.error') } : {}),
    }),
    payloadResponseOnly: true,
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    comment: 'Opens an urgent operator task, then stops the execution with a stable error code.',
  });
  retryTransient(tell);
  const stop = new sfn.Fail(scope, options.stopped, { error: options.error, cause: options.cause });
  // Even if the task cannot be opened, the execution still stops (and the alarm fires).
  tell.addCatch(stop, { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD });
  return tell.next(stop);
}
