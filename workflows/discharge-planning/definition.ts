import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { TaskType } from '../../shared/domain/tasks';

/** The Lambda functions behind the states; the infra construct creates them and passes them in. */
export interface DischargePlanningSteps {
  screenPatient: IFunction;
  openCareTask: IFunction;
  buildDischargePlan: IFunction;
  recordDischarge: IFunction;
  scheduleFollowUp: IFunction;
}

export interface DischargePlanningTimeouts {
  /** How long the care manager's assessment may stay open before the workflow flags it. @default 7 days */
  assessment?: Duration;
  /** How long the physician's discharge order may be awaited. @default 90 days */
  dischargeOrder?: Duration;
}

/** State names are what operators read in the console: change them only with the runbook. */
export const STATES = {
  recordWorkflow: 'Link workflow to encounter',
  screen: 'Screen patient at admission',
  awaitAssessment: "Await care manager's assessment",
  buildPlan: 'Build discharge plan',
  awaitOrder: "Await physician's discharge order",
  recordDischarge: 'Record the discharge',
  scheduleFollowUp: 'Schedule follow-up contact',
  done: 'Discharge planning complete',
  reopened: 'Reopened after a cancelled discharge?',
  dischargedMeanwhile: 'Discharged while the assessment was awaited?',
  takeAdtDischarge: 'Take the discharge from the ADT feed',
  assessmentOverdue: 'Needs attention: assessment overdue',
  orderOverdue: 'Needs attention: discharge order overdue',
  dischargeCancelled: 'Discharge cancelled: planning goes on in the reopened workflow',
} as const;

const encounterId = sfn.JsonPath.stringAt('$.encounterId');

/** Optimistic-lock conflicts on the encounter are transient: reload and retry. */
const retryConflicts = (task: sfn.TaskStateBase) =>
  task.addRetry({
    errors: ['ConflictError'],
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });

/** A state run by one Lambda step; its result lands at `resultPath`. */
function step(scope: Construct, id: string, fn: IFunction, payload: Record<string, unknown>, resultPath: string, comment: string) {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    // Execution and state name every step's writes and its line in the audit trail.
    payload: sfn.TaskInput.fromObject({ ...payload, executionArn: sfn.JsonPath.executionId, state: id }),
    payloadResponseOnly: true,
    resultPath,
    comment,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  retryConflicts(task);
  return task;
}

interface AwaitPersonOptions {
  taskType: TaskType;
  /** A JSONPath into the state input, or a fixed value. */
  priority: string;
  dueInHours: string | number;
  timeout: Duration;
  resultPath: string;
  comment: string;
}

/** A human step: opens a task holding the task token and waits for its completion. */
function awaitPerson(scope: Construct, id: string, fn: IFunction, options: AwaitPersonOptions) {
  const fromPath = (value: string) => (value.startsWith('$.') ? sfn.JsonPath.stringAt(value) : value);
  return new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      encounterId,
      executionArn: sfn.JsonPath.executionId,
      state: id,
      taskType: options.taskType,
      taskToken: sfn.JsonPath.taskToken,
      priority: fromPath(options.priority),
      dueInHours:
        typeof options.dueInHours === 'string' ? sfn.JsonPath.numberAt(options.dueInHours) : options.dueInHours,
    }),
    resultPath: options.resultPath,
    taskTimeout: sfn.Timeout.duration(options.timeout),
    comment: options.comment,
  });
}

/**
 * Discharge planning, admission to discharge (42 CFR 482.43), as the operator reads it:
 * link → screen → await assessment → build plan → await discharge order → record discharge →
 * schedule follow-up → complete. State data holds ids and small results only.
 */
export function buildDischargePlanningDefinition(
  scope: Construct,
  table: ITable,
  steps: DischargePlanningSteps,
  timeouts: DischargePlanningTimeouts = {},
): sfn.IChainable {
  const linkWorkflow = new tasks.DynamoUpdateItem(scope, STATES.recordWorkflow, {
    table,
    key: {
      pk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format('ENCOUNTER#{}', encounterId)),
      sk: tasks.DynamoAttributeValue.fromString('ENCOUNTER'),
    },
    updateExpression: 'SET executionArn = :arn, updatedAt = :at ADD version :one',
    conditionExpression: 'attribute_exists(pk)',
    expressionAttributeValues: {
      ':arn': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.executionId),
      ':at': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.StartTime')),
      ':one': tasks.DynamoAttributeValue.fromNumber(1),
    },
    resultPath: sfn.JsonPath.DISCARD,
    comment: 'Writes the execution ARN on the encounter so the API and operators can go from one to the other.',
  });

  // A transient DynamoDB error must not end the execution: its name is taken for good.
  linkWorkflow.addRetry({
    errors: [
      'DynamoDB.ProvisionedThroughputExceededException',
      'DynamoDB.RequestLimitExceeded',
      'DynamoDB.ThrottlingException',
      'DynamoDB.InternalServerErrorException',
      'DynamoDB.AmazonDynamoDBException',
    ],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });

  const screen = step(scope, STATES.screen, steps.screenPatient, { encounterId }, '$.screening',
    'Early identification: sets the assessment priority and deadline from age and admission type.');

  const awaitAssessment = awaitPerson(scope, STATES.awaitAssessment, steps.openCareTask, {
    taskType: 'needs-assessment',
    priority: '$.screening.priority',
    dueInHours: '$.screening.assessmentDueWithinHours',
    timeout: timeouts.assessment ?? Duration.days(7),
    resultPath: '$.assessment',
    comment: 'Opens the needs-assessment task; resumes when the care manager completes it through the API.',
  });

  const buildPlan = step(scope, STATES.buildPlan, steps.buildDischargePlan,
    { encounterId, assessment: sfn.JsonPath.objectAt('$.assessment') }, '$.plan',
    'Proposes the post-acute path from the assessed needs; the physician may still order another.');

  const awaitOrder = awaitPerson(scope, STATES.awaitOrder, steps.openCareTask, {
    taskType: 'discharge-order',
    priority: 'routine',
    dueInHours: 24,
    timeout: timeouts.dischargeOrder ?? Duration.days(90),
    resultPath: '$.order',
    comment: "Opens the physician's discharge-order task; resumes when it is completed.",
  });

  const record = step(scope, STATES.recordDischarge, steps.recordDischarge,
    { encounterId, order: sfn.JsonPath.objectAt('$.order') }, '$.discharge',
    'Marks the encounter discharged with disposition and time.');

  const followUp = step(scope, STATES.scheduleFollowUp, steps.scheduleFollowUp,
    { encounterId }, '$.followUp',
    'TCM: a contact task due within 2 business days of discharge.');

  const assessmentOverdue = new sfn.Fail(scope, STATES.assessmentOverdue, {
    error: 'DischargePlanning.AssessmentOverdue',
    cause: 'The needs assessment was not completed in time; the lead care manager must act.',
  });
  const orderOverdue = new sfn.Fail(scope, STATES.orderOverdue, {
    error: 'DischargePlanning.DischargeOrderOverdue',
    cause: 'No discharge order arrived in time; review the encounter.',
  });
  awaitAssessment.addCatch(assessmentOverdue, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.error' });
  awaitOrder.addCatch(orderOverdue, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.error' });
  record.addCatch(
    new sfn.Succeed(scope, STATES.dischargeCancelled, {
      comment: 'An A13 undid the feed\'s discharge while this execution was on its way to record it.',
    }),
    { errors: ['DischargeCancelledError'], resultPath: '$.error' },
  );

  const done = new sfn.Succeed(scope, STATES.done, { comment: 'Discharged, and the follow-up contact is scheduled.' });
  record.next(followUp).next(done);
  awaitOrder.next(record);
  buildPlan.next(awaitOrder);
  const dischargedMeanwhile = new sfn.Choice(scope, STATES.dischargedMeanwhile, {
    comment: 'The ADT feed (A03) can report the discharge before planning is done; it is recorded as it happened.',
  })
    .when(
      sfn.Condition.stringEquals('$.assessment.outcome', 'discharged'),
      new sfn.Pass(scope, STATES.takeAdtDischarge, {
        comment: 'No order will come: the A03 already recorded where and when the patient went.',
        parameters: { 'taskId.$': '$.assessment.taskId', outcome: 'discharged' },
        resultPath: '$.order',
      }).next(record),
    )
    .otherwise(buildPlan);
  screen.next(awaitAssessment).next(dischargedMeanwhile);
  const reopened = new sfn.Choice(scope, STATES.reopened, {
    comment: 'A cancelled discharge (A13) resumes planning at the discharge order; the assessment and plan stand.',
  })
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.reopened'), sfn.Condition.booleanEquals('$.reopened', true)), awaitOrder)
    .otherwise(screen);
  return sfn.Chain.start(linkWorkflow).next(reopened);
}
