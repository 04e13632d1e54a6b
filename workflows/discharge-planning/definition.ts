import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { CHOICE_PATHS } from '../../shared/domain/discharge-readiness';
import { awaitPerson, checkedPayload, encounterId, retryTransient, step, stopWithOperatorTask } from '../states';

/** The Lambda functions behind the states; the infra construct creates them and passes them in. */
export interface DischargePlanningSteps {
  screenPatient: IFunction;
  openCareTask: IFunction;
  buildDischargePlan: IFunction;
  offerChoiceList: IFunction;
  pickReferralProviders: IFunction;
  awaitReferralAnswer: IFunction;
  tallyReferrals: IFunction;
  openOperatorTask: IFunction;
  checkDischargeReadiness: IFunction;
  recordDischarge: IFunction;
  sendTransitionRecord: IFunction;
}

export interface DischargePlanningTimeouts {
  /** How long the care manager's assessment may stay open before the workflow flags it. @default 7 days */
  assessment?: Duration;
  /** How long the physician's discharge order may be awaited. @default 90 days */
  dischargeOrder?: Duration;
  /** How long the patient's choice of provider may be awaited. @default 3 days */
  patientChoice?: Duration;
  /** How long a receiving provider may take to answer a referral. @default 2 days */
  referralAnswer?: Duration;
  /** How long missing discharge elements (or a pharmacist's review) may be awaited. @default 7 days */
  requirements?: Duration;
}

/** State names are what operators read in the console: change them only with the runbook. */
export const STATES = {
  recordWorkflow: 'Link workflow to encounter',
  screen: 'Screen patient at admission',
  awaitAssessment: "Await care manager's assessment",
  buildPlan: 'Build discharge plan',
  postAcute: 'Is post-acute care needed?',
  offerChoice: 'Offer patient choice list',
  awaitChoice: "Await patient's choice of provider",
  pickProviders: 'Pick providers to refer to',
  providersLeft: 'Any providers left to ask?',
  sendReferrals: 'Send referrals to providers',
  awaitProvider: "Await provider's answer",
  providerSilent: 'Provider did not answer in time',
  tallyReferrals: 'Tally referral answers',
  providerAccepted: 'Did a provider accept?',
  awaitOrder: "Await physician's discharge order",
  diedOrLeft: 'Did the patient die or leave against advice?',
  checkRequirements: 'Check discharge requirements',
  readyForDischarge: 'Ready for discharge?',
  awaitPharmacist: 'Await pharmacist review',
  awaitRequirements: 'Await missing discharge elements',
  recordDischarge: 'Record the discharge',
  died: 'Did the patient die?',
  closedAfterDeath: 'Planning closed: patient died',
  sendTransitionRecord: 'Send transition record',
  startFollowUp: 'Start post-discharge follow-up',
  done: 'Discharge planning complete',
  reopened: 'Reopened after a cancelled discharge?',
  dischargedMeanwhile: 'Discharged while the assessment was awaited?',
  takeAdtDischarge: 'Take the discharge from the ADT feed',
  assessmentOverdue: 'Needs attention: assessment overdue',
  choiceOverdue: "Needs attention: patient's choice overdue",
  noProviderAccepted: 'Needs attention: no provider accepted',
  orderOverdue: 'Needs attention: discharge order overdue',
  requirementsOverdue: 'Needs attention: discharge requirements overdue',
  dischargeCancelled: 'Discharge cancelled: planning goes on in the reopened workflow',
} as const;

/**
 * Discharge planning, admission to discharge (42 CFR 482.43), as the operator reads it:
 * link → screen → await assessment → build plan → (post-acute: choice list → await choice →
 * referrals) → await discharge order → (died or left against advice: record at once) → check
 * requirements against the order (loop: await pharmacist / missing elements; an ordered
 * post-acute path not planned: back to the choice list, then on with the order given) → record
 * discharge → (died: close) → send transition record → start follow-up (TCM) → complete.
 * State data holds ids and small results only.
 *
 * The code reads the same way: first the steps in that order, each with its Retry and Catch;
 * then the wiring, the happy path top to bottom, each Choice with its branches.
 */
export function buildDischargePlanningDefinition(
  scope: Construct,
  table: ITable,
  steps: DischargePlanningSteps,
  followUpStateMachine: sfn.IStateMachine,
  timeouts: DischargePlanningTimeouts = {},
): sfn.IChainable {
  const needsAttention = (name: string, error: string, cause: string, caught = true) =>
    stopWithOperatorTask(scope, steps.openOperatorTask, {
      name,
      stopped: name.replace(/^Needs attention: /, 'Planning stopped: '),
      error,
      cause,
      caught,
    });
  const onTimeout = { errors: [sfn.Errors.TIMEOUT], resultPath: '$.error' };

  // ── The steps, in the order of the happy path ──

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
      'DynamoDB.InternalServerError',
      'DynamoDB.AmazonDynamoDBException',
    ],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });

  const screen = step(
    scope,
    STATES.screen,
    steps.screenPatient,
    { encounterId },
    '$.screening',
    'Early identification: sets the assessment priority and deadline from age and admission type.',
  );

  const awaitAssessment = awaitPerson(scope, STATES.awaitAssessment, steps.openCareTask, {
    taskType: 'needs-assessment',
    priority: '$.screening.priority',
    dueInHours: '$.screening.assessmentDueWithinHours',
    timeout: timeouts.assessment ?? Duration.days(7),
    resultPath: '$.assessment',
    comment: 'Opens the needs-assessment task; resumes when the care manager completes it through the API.',
  });
  awaitAssessment.addCatch(
    needsAttention(
      STATES.assessmentOverdue,
      'DischargePlanning.AssessmentOverdue',
      'The needs assessment was not completed in time; the lead care manager must act.',
    ),
    onTimeout,
  );

  const buildPlan = step(
    scope,
    STATES.buildPlan,
    steps.buildDischargePlan,
    { encounterId, assessment: sfn.JsonPath.objectAt('$.assessment') },
    '$.plan',
    'Proposes the post-acute path from the assessed needs; the physician may still order another.',
  );

  const offerChoice = step(
    scope,
    STATES.offerChoice,
    steps.offerChoiceList,
    { encounterId },
    '$.choiceList',
    'Patient choice (482.43(c)): Medicare-participating providers of the needed type serving this facility, alphabetical, with quality ratings.',
  );

  const awaitChoice = awaitPerson(scope, STATES.awaitChoice, steps.openCareTask, {
    taskType: 'patient-choice',
    priority: 'routine',
    dueInHours: 24,
    timeout: timeouts.patientChoice ?? Duration.days(3),
    resultPath: '$.choice',
    round: '$.choiceList.round',
    details: '$.choiceList.details',
    comment:
      "The care manager gives the list (or, when it is empty, finds the patient's own provider) and records the choice (PUT …/patient-choice).",
  });
  awaitChoice.addCatch(
    needsAttention(
      STATES.choiceOverdue,
      'DischargePlanning.PatientChoiceOverdue',
      "The patient's choice of provider was not recorded in time; review the encounter.",
    ),
    onTimeout,
  );

  const pickProviders = step(
    scope,
    STATES.pickProviders,
    steps.pickReferralProviders,
    { encounterId },
    '$.referralRound',
    "The next providers not yet asked (up to 3): the patient's choices first, then the rest of the list given.",
  );

  const awaitProvider = new tasks.LambdaInvoke(scope, STATES.awaitProvider, {
    lambdaFunction: steps.awaitReferralAnswer,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: checkedPayload(STATES.awaitProvider, steps.awaitReferralAnswer, {
      encounterId: sfn.JsonPath.stringAt('$.encounterId'),
      executionArn: sfn.JsonPath.stringAt('$.executionArn'),
      round: sfn.JsonPath.numberAt('$.round'),
      providerId: sfn.JsonPath.stringAt('$.providerId'),
      providerName: sfn.JsonPath.stringAt('$.providerName'),
      service: sfn.JsonPath.stringAt('$.service'),
      taskToken: sfn.JsonPath.taskToken,
      state: STATES.awaitProvider,
    }),
    taskTimeout: sfn.Timeout.duration(timeouts.referralAnswer ?? Duration.days(2)),
    comment: 'Sends the referral; the provider accepts or declines through the API, or is withdrawn when another accepts first.',
  });
  retryTransient(awaitProvider);
  awaitProvider.addCatch(
    new sfn.Pass(scope, STATES.providerSilent, {
      comment: 'A silence counts as a decline; the tally marks the referral timed out.',
      parameters: { status: 'timed-out' },
    }),
    { errors: [sfn.Errors.TIMEOUT] },
  );
  const sendReferrals = new sfn.Map(scope, STATES.sendReferrals, {
    comment: 'Fan-out: every provider of the round at once; the first acceptance wins and withdraws the others.',
    itemsPath: '$.referralRound.providers',
    resultPath: '$.referralAnswers',
    maxConcurrency: 10,
  });
  sendReferrals.itemProcessor(awaitProvider);

  const tally = step(
    scope,
    STATES.tallyReferrals,
    steps.tallyReferrals,
    { encounterId, round: sfn.JsonPath.numberAt('$.referralRound.round') },
    '$.placement',
    'Marks providers that never answered as timed out; tells whether one accepted.',
  );

  const awaitOrder = awaitPerson(scope, STATES.awaitOrder, steps.openCareTask, {
    taskType: 'discharge-order',
    priority: 'routine',
    dueInHours: 24,
    timeout: timeouts.dischargeOrder ?? Duration.days(90),
    resultPath: '$.order',
    comment: "Opens the physician's discharge-order task; resumes when it is completed.",
  });
  awaitOrder.addCatch(
    needsAttention(
      STATES.orderOverdue,
      'DischargePlanning.DischargeOrderOverdue',
      'No discharge order arrived in time; review the encounter.',
    ),
    onTimeout,
  );

  const checkRequirements = step(
    scope,
    STATES.checkRequirements,
    steps.checkDischargeReadiness,
    { encounterId, order: sfn.JsonPath.objectAt('$.order') },
    '$.readiness',
    'Compliance by construction: lists what 42 CFR 482.43 still needs for the ordered disposition (on the encounter too); the plan follows the order.',
  );

  // Both waits for what the check found missing stop at the same place when it stays missing.
  const requirementsOverdue = needsAttention(
    STATES.requirementsOverdue,
    'DischargePlanning.MissingRequiredElements',
    'Required discharge elements stayed missing; the list is on the encounter (dischargeReadiness).',
  );

  const awaitPharmacist = awaitPerson(scope, STATES.awaitPharmacist, steps.openCareTask, {
    taskType: 'pharmacist-review',
    priority: 'urgent',
    dueInHours: 4,
    timeout: timeouts.requirements ?? Duration.days(7),
    resultPath: '$.requirements',
    round: '$.readiness.round',
    details: '$.readiness.missing',
    comment: 'A high-severity interaction blocks discharge until a pharmacist or physician acknowledges it; then the check runs again.',
  });
  awaitPharmacist.addCatch(requirementsOverdue, onTimeout);

  const awaitRequirements = awaitPerson(scope, STATES.awaitRequirements, steps.openCareTask, {
    taskType: 'discharge-requirements',
    priority: 'urgent',
    dueInHours: 8,
    timeout: timeouts.requirements ?? Duration.days(7),
    resultPath: '$.requirements',
    round: '$.readiness.round',
    details: '$.readiness.missing',
    comment: 'The task lists what is missing; when the care manager completes it, the check runs again.',
  });
  awaitRequirements.addCatch(requirementsOverdue, onTimeout);

  const record = step(
    scope,
    STATES.recordDischarge,
    steps.recordDischarge,
    { encounterId, order: sfn.JsonPath.objectAt('$.order') },
    '$.discharge',
    'Marks the encounter discharged with disposition and time.',
  );
  record.addCatch(
    new sfn.Succeed(scope, STATES.dischargeCancelled, {
      comment: "An A13 undid the feed's discharge while this execution was on its way to record it.",
    }),
    { errors: ['DischargeCancelledError'], resultPath: '$.error' },
  );

  const sendTransition = step(
    scope,
    STATES.sendTransitionRecord,
    steps.sendTransitionRecord,
    { encounterId },
    '$.transitionRecord',
    'The necessary medical information (482.43(b)) for the next provider and the PCP, as a FHIR Bundle; stored once and announced.',
  );

  const done = new sfn.Succeed(scope, STATES.done, {
    comment: 'Discharged, the transition record sent, and the post-discharge follow-up started.',
  });
  const followUp = new tasks.StepFunctionsStartExecution(scope, STATES.startFollowUp, {
    stateMachine: followUpStateMachine,
    name: sfn.JsonPath.stringAt('$.discharge.followUpExecutionName'),
    input: sfn.TaskInput.fromObject({ encounterId }),
    associateWithParent: true,
    resultSelector: { 'executionArn.$': '$.ExecutionArn' },
    resultPath: '$.followUp',
    comment: 'Starts the TCM follow-up (its own state machine, running the 30 days after discharge) and ends this one.',
  });
  // Throttled, or the account's running-execution limit: the discharge is recorded, so wait and
  // start again rather than fail the execution at its last step.
  followUp.addRetry({
    errors: [
      'StepFunctions.ThrottlingException',
      'StepFunctions.ExecutionLimitExceededException',
      'StepFunctions.AWSStepFunctionsException',
    ],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    maxDelay: Duration.minutes(1),
    jitterStrategy: sfn.JitterType.FULL,
  });
  // A retry after a start whose answer was lost finds the execution there: that is the goal.
  followUp.addCatch(done, { errors: ['StepFunctions.ExecutionAlreadyExistsException'], resultPath: '$.error' });

  // ── The wiring: the happy path top to bottom, each Choice with its branches ──
  // A step that still fails after its retries is not caught: the execution fails in that step,
  // so a redrive runs it again; the failed-execution rule opens the operator task (see workflows.md).

  linkWorkflow.next(
    new sfn.Choice(scope, STATES.reopened, {
      comment: 'A cancelled discharge (A13) resumes planning at the discharge order; the assessment and plan stand.',
    })
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.reopened'), sfn.Condition.booleanEquals('$.reopened', true)), awaitOrder)
      .otherwise(screen),
  );

  screen.next(awaitAssessment).next(
    new sfn.Choice(scope, STATES.dischargedMeanwhile, {
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
      .otherwise(buildPlan),
  );

  buildPlan.next(
    new sfn.Choice(scope, STATES.postAcute, {
      comment: 'Home health, SNF, IRF, LTCH and hospice need the patient choice list; home and home with services do not.',
    })
      .when(sfn.Condition.or(...CHOICE_PATHS.map((path) => sfn.Condition.stringEquals('$.plan.path', path))), offerChoice)
      .otherwise(awaitOrder),
  );

  offerChoice
    .next(awaitChoice)
    .next(pickProviders)
    .next(
      new sfn.Choice(scope, STATES.providersLeft, {
        comment: 'Declines and silences fall through to the next providers until the list is used up.',
      })
        .when(sfn.Condition.numberGreaterThan('$.referralRound.count', 0), sendReferrals)
        .when(sfn.Condition.booleanEquals('$.referralRound.discharged', true), awaitOrder)
        .otherwise(
          needsAttention(
            STATES.noProviderAccepted,
            'DischargePlanning.NoProviderAccepted',
            'Every provider on the choice list declined or did not answer; widen the list with the patient.',
            false,
          ),
        ),
    );

  sendReferrals.next(tally).next(
    new sfn.Choice(scope, STATES.providerAccepted, {
      comment: 'The placement is recorded with the acceptance; otherwise ask the next providers.',
    })
      .when(sfn.Condition.booleanEquals('$.placement.accepted', true), awaitOrder)
      .otherwise(pickProviders),
  );

  awaitOrder.next(
    new sfn.Choice(scope, STATES.diedOrLeft, {
      comment:
        'A death or a departure against advice is recorded at once: the 482.43 requirements no longer apply and no one is asked for them.',
    })
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.order.disposition'),
          sfn.Condition.or(
            sfn.Condition.stringEquals('$.order.disposition', 'expired'),
            sfn.Condition.stringEquals('$.order.disposition', 'left-against-medical-advice'),
          ),
        ),
        record,
      )
      .otherwise(checkRequirements),
  );

  checkRequirements.next(
    new sfn.Choice(scope, STATES.readyForDischarge, {
      comment:
        'A patient the ADT feed already discharged (AMA, death, or simply first) is recorded as it happened; what was missing stays on the encounter.',
    })
      .when(
        sfn.Condition.or(
          sfn.Condition.stringEquals('$.order.outcome', 'discharged'),
          sfn.Condition.and(
            sfn.Condition.isPresent('$.requirements.outcome'),
            sfn.Condition.stringEquals('$.requirements.outcome', 'discharged'),
          ),
          sfn.Condition.booleanEquals('$.readiness.ready', true),
        ),
        record,
      )
      // The physician ordered a post-acute path the plan had no choice list for (482.43(c)).
      .when(sfn.Condition.booleanEquals('$.readiness.newChoiceList', true), offerChoice)
      .when(sfn.Condition.stringEquals('$.readiness.awaitedRole', 'pharmacist'), awaitPharmacist)
      .otherwise(awaitRequirements),
  );
  // What was missing is checked again once the person has acted.
  awaitPharmacist.next(checkRequirements);
  awaitRequirements.next(checkRequirements);

  record.next(
    new sfn.Choice(scope, STATES.died, {
      comment:
        'A death (disposition expired) is documented and closes planning: no transition of care, no follow-up. ' +
        'A patient who left against advice still has the record sent to the PCP and the follow-up: their risk is the highest.',
    })
      .when(
        sfn.Condition.stringEquals('$.discharge.disposition', 'expired'),
        new sfn.Succeed(scope, STATES.closedAfterDeath, { comment: 'The discharge is recorded; the audit trail holds every step.' }),
      )
      .otherwise(sendTransition),
  );

  sendTransition.next(followUp).next(done);

  return linkWorkflow;
}
