import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { StartingPosition, FilterCriteria, FilterRule, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { physicalName, type StageConfig } from '../config/stage';
import { CareTable } from '../constructs/care-table';
import { CareWorkflow } from '../constructs/care-workflow';
import { DISCHARGE_PLANNING, GRIEVANCE, POST_DISCHARGE_FOLLOW_UP, TRANSFER } from '../constructs/care-workflows';
import { ObservabilityKey } from '../constructs/observability-key';
import { ServiceFunction } from '../constructs/service-function';
import { acknowledgeStackFindings } from '../nag-acknowledgements';
import { COUNTED_ENTITY_TYPES } from '../../shared/domain/metrics';
import { AUDITED_ENTITY_TYPES } from '../../shared/domain/audit';
import { CARE_EVENT_SOURCE } from '../../shared/domain/care-events';
import { reactionFilterPatterns } from '../../shared/stream/reactions';
import type { SiteConfig } from '../../shared/site-config';
import { STATE_MACHINE_ARN_VARIABLE } from '../../shared/env';
import type { DischargePlanningSteps } from '../../workflows/discharge-planning/definition';
import type { FollowUpSteps } from '../../workflows/post-discharge-follow-up/definition';
import type { TransferSteps } from '../../workflows/transfer/definition';
import type { GrievanceSteps } from '../../workflows/grievance/definition';

export interface CarepathStackProps extends StackProps {
  config: StageConfig;
}

/**
 * The care record and the workflows: table, keys, state machines and their steps, the stream
 * consumers, schedules and the care-event bus. The API (CarepathApiStack) and the alarms
 * (CarepathOperationsStack) are their own stacks, each well under CloudFormation's 500
 * resources; the local stack reads all three templates as one.
 */
export class CarepathStack extends Stack {
  readonly table: Table;
  readonly logKey: IKey;
  readonly tableKey: IKey;
  readonly dischargePlanning: { stateMachine: sfn.StateMachine; steps: DischargePlanningSteps };
  readonly followUp: { stateMachine: sfn.StateMachine; steps: FollowUpSteps };
  readonly transfer: { stateMachine: sfn.StateMachine; steps: TransferSteps };
  readonly grievance: { stateMachine: sfn.StateMachine; steps: GrievanceSteps };
  readonly triggerDlq: sqs.Queue;
  /** Functions nobody waits on (stream consumers, schedules, the failed-execution rule's target): their errors show nowhere else. */
  readonly backgroundFunctions: IFunction[];
  /** The two readers of the table's stream. */
  readonly streamConsumers: IFunction[];

  constructor(scope: Construct, id: string, props: CarepathStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { key: logKey } = new ObservabilityKey(this, 'ObservabilityKey', { config });
    const { table, key: tableKey } = new CareTable(this, 'CareRecord', { config });
    // Every workflow's "Needs attention" states open their operator task through this one step
    // (a step failing after its retries fails the execution; the rule below opens that task).
    const openOperatorTask = new ServiceFunction(this, 'OpenOperatorTask', {
      config,
      logKey,
      handlerDir: 'open-operator-task',
      environment: { TABLE_NAME: table.tableName },
    }).fn;
    table.grantReadWriteData(openOperatorTask);
    const workflow = { config, table, logKey };
    const followUp = new CareWorkflow(this, 'PostDischargeFollowUp', {
      ...workflow,
      spec: POST_DISCHARGE_FOLLOW_UP,
      shared: {},
      context: {},
    });
    const transfer = new CareWorkflow(this, 'Transfer', { ...workflow, spec: TRANSFER, shared: { openOperatorTask }, context: {} });
    const grievance = new CareWorkflow(this, 'Grievance', { ...workflow, spec: GRIEVANCE, shared: { openOperatorTask }, context: {} });
    const dischargePlanning = new CareWorkflow(this, 'DischargePlanning', {
      ...workflow,
      spec: DISCHARGE_PLANNING,
      shared: { openOperatorTask },
      context: { followUpStateMachine: followUp.stateMachine },
    });

    const service = (
      id: string,
      handlerDir: string,
      extra: Record<string, string> = {},
      timeout?: Duration,
      siteConfig?: Partial<SiteConfig>,
    ) =>
      new ServiceFunction(this, id, {
        config,
        logKey,
        handlerDir,
        timeout,
        siteConfig,
        environment: { TABLE_NAME: table.tableName, ...extra },
      }).fn;

    // The table's stream drives the workflows (an outbox): a stored admission starts discharge
    // planning, a completed task resumes its execution. Failed batches are retried, then their
    // stream position is parked in a dead-letter queue and an alarm fires.
    const reactToChanges = service(
      'ReactToRecordChanges',
      'react-to-record-changes',
      {
        [STATE_MACHINE_ARN_VARIABLE['discharge-planning']]: dischargePlanning.stateMachine.stateMachineArn,
        [STATE_MACHINE_ARN_VARIABLE['post-discharge-follow-up']]: followUp.stateMachine.stateMachineArn,
        [STATE_MACHINE_ARN_VARIABLE.transfer]: transfer.stateMachine.stateMachineArn,
        [STATE_MACHINE_ARN_VARIABLE.grievance]: grievance.stateMachine.stateMachineArn,
      },
      Duration.seconds(60),
      { careManagers: config.careManagers },
    ); // up to 10 records, each a few DynamoDB and Step Functions calls
    grievance.stateMachine.grantStartExecution(reactToChanges);
    grievance.stateMachine.grantTaskResponse(reactToChanges);
    table.grantReadWriteData(reactToChanges);
    transfer.stateMachine.grantStartExecution(reactToChanges);
    transfer.stateMachine.grantTaskResponse(reactToChanges);
    dischargePlanning.stateMachine.grantStartExecution(reactToChanges);
    dischargePlanning.stateMachine.grantExecution(reactToChanges, 'states:StopExecution');
    dischargePlanning.stateMachine.grantTaskResponse(reactToChanges);
    // A completed task no execution waited for: is its execution gone (an operator task) or did it move on?
    dischargePlanning.stateMachine.grantExecution(reactToChanges, 'states:DescribeExecution');
    followUp.stateMachine.grantExecution(reactToChanges, 'states:StopExecution');
    // Also the dead-letter queue of the scheduled sweep's invocations.
    const triggerDlq = new sqs.Queue(this, 'RecordChangesDlq', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    reactToChanges.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        retryAttempts: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(triggerDlq),
        // Generated from the reactions table the consumer dispatches by (shared/stream/reactions.ts).
        filters: reactionFilterPatterns().map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );

    // The second (and last: DynamoDB Streams allows two) reader of the stream: every change of a
    // care record becomes a line in its patient's audit trail, the important ones (alert, plan,
    // risk tier, discharge date) are published on the care-event bus for notifiers, and the
    // records the service metrics read are counted into them.
    const careEvents = new events.EventBus(this, 'CareEvents', { eventBusName: `${config.prefix}-care-events` });
    new events.Archive(this, 'CareEventArchive', {
      sourceEventBus: careEvents,
      eventPattern: { source: [CARE_EVENT_SOURCE] },
      description: 'Every care event, replayable to a notifier that was down.',
      retention: Duration.days(config.stage === 'prod' ? 365 : 30),
    });
    const auditAnnounceAndCount = service(
      'AuditAnnounceAndCountChanges',
      'audit-announce-and-count-changes',
      {
        CARE_EVENT_BUS_NAME: careEvents.eventBusName,
      },
      Duration.minutes(2),
      { facilityTimeZones: config.facilityTimeZones },
    ); // batches of 100 records, each an audit line, maybe an event and counts
    table.grantReadWriteData(auditAnnounceAndCount);
    careEvents.grantPutEventsTo(auditAnnounceAndCount);
    const streamed = [...new Set([...AUDITED_ENTITY_TYPES, ...COUNTED_ENTITY_TYPES])];
    auditAnnounceAndCount.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        // Large batches: appends run at once and a record changed often in a batch is counted once.
        batchSize: 100,
        retryAttempts: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(triggerDlq),
        filters: [
          FilterCriteria.filter({ dynamodb: { NewImage: { entityType: { S: FilterRule.or(...streamed) } } } }),
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('REMOVE'),
            dynamodb: { OldImage: { entityType: { S: FilterRule.or(...streamed) } } },
          }),
        ],
      }),
    );

    // Daily at 06:00 UTC: inpatients with no discharge plan 24 h after admission get a task.
    // Sweeps read and write one encounter at a time: minutes for a large hospital, not seconds.
    const sweep = service('SweepUnplannedInpatients', 'sweep-unplanned-inpatients', {}, Duration.minutes(5));
    table.grantReadWriteData(sweep);
    new events.Rule(this, 'DailyUnplannedInpatientSweep', {
      ruleName: `${config.prefix}-unplanned-inpatient-sweep`,
      description: 'Flags inpatients without a discharge plan 24 hours after admission (42 CFR 482.43).',
      schedule: events.Schedule.cron({ minute: '0', hour: '6' }),
      targets: [new targets.LambdaFunction(sweep, { retryAttempts: 2, deadLetterQueue: triggerDlq })],
    });

    // Every 15 minutes: a task past its due time is escalated to the stay's lead care manager.
    const escalate = service('EscalateOverdueTasks', 'escalate-overdue-tasks', {}, Duration.minutes(5));
    table.grantReadWriteData(escalate);
    new events.Rule(this, 'OverdueTaskEscalation', {
      ruleName: `${config.prefix}-overdue-task-escalation`,
      description: 'Escalates care tasks past their due time to the lead care manager.',
      schedule: events.Schedule.rate(Duration.minutes(15)),
      targets: [new targets.LambdaFunction(escalate, { retryAttempts: 2, deadLetterQueue: triggerDlq })],
    });

    // A failed or timed-out execution of any workflow: an urgent operator task naming the state it
    // stopped in. Step failures are not caught in the definitions so that a redrive reruns the step.
    const workflows = [dischargePlanning, followUp, transfer, grievance];
    const flagFailed = service('FlagFailedExecution', 'flag-failed-execution');
    table.grantReadWriteData(flagFailed);
    for (const workflow of workflows) workflow.stateMachine.grantRead(flagFailed);
    new events.Rule(this, 'FailedExecutionsNeedAttention', {
      ruleName: `${config.prefix}-failed-executions-need-attention`,
      description: 'Opens an operator task for every failed or timed-out workflow execution.',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT'], stateMachineArn: workflows.map((w) => w.stateMachine.stateMachineArn) },
      },
      targets: [new targets.LambdaFunction(flagFailed, { retryAttempts: 8, maxEventAge: Duration.hours(24), deadLetterQueue: triggerDlq })],
    });

    // Hourly: per state machine, the oldest running execution's age and how many run past the
    // stage's limit (Step Functions' ExecutionTime appears only once an execution ends).
    const watched = (
      [
        ['discharge-planning', dischargePlanning],
        ['post-discharge-follow-up', followUp],
        ['transfer', transfer],
        ['grievance', grievance],
      ] as const
    ).map(([workflow, construct]) => ({
      workflow: physicalName(config, workflow),
      stateMachineArn: construct.stateMachine.stateMachineArn,
      limitSeconds: Math.round(config.executionAgeLimitDays[workflow] * 86_400),
    }));
    const checkStuck = service(
      'CheckStuckExecutions',
      'check-stuck-executions',
      { WATCHED_STATE_MACHINES: this.toJsonString(watched) },
      Duration.minutes(1),
    );
    // Listing (ids, names, dates) only: no execution's input or history.
    for (const workflow of workflows) workflow.stateMachine.grant(checkStuck, 'states:ListExecutions');
    new events.Rule(this, 'StuckExecutionCheck', {
      ruleName: `${config.prefix}-stuck-execution-check`,
      description: 'Measures running workflow executions by age; those past their limit page.',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(checkStuck, { retryAttempts: 2, deadLetterQueue: triggerDlq })],
    });

    // Hourly: a stay whose status says a workflow goes on (discharge planning, or the TCM follow-up
    // after discharge) while that execution does not run (stopped, failed, lost) gets one operator
    // task, and the count is a metric (issue 17 item 7).
    const checkStayWorkflows = service(
      'CheckStayWorkflows',
      'check-stay-workflows',
      {
        [STATE_MACHINE_ARN_VARIABLE['discharge-planning']]: dischargePlanning.stateMachine.stateMachineArn,
        [STATE_MACHINE_ARN_VARIABLE['post-discharge-follow-up']]: followUp.stateMachine.stateMachineArn,
      },
      Duration.minutes(5),
    );
    table.grantReadWriteData(checkStayWorkflows);
    // The status of one execution at a time: no input, no history.
    for (const workflow of [dischargePlanning, followUp])
      workflow.stateMachine.grantExecution(checkStayWorkflows, 'states:DescribeExecution');
    new events.Rule(this, 'StayWorkflowCheck', {
      ruleName: `${config.prefix}-stay-workflow-check`,
      description: 'Flags stays whose status says discharge planning or the TCM follow-up goes on while its execution is not running.',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(checkStayWorkflows, { retryAttempts: 2, deadLetterQueue: triggerDlq })],
    });

    acknowledgeStackFindings(this, {
      table,
      workflowFunctions: [
        ...new Set([
          ...Object.values(dischargePlanning.steps),
          ...Object.values(followUp.steps),
          ...Object.values(transfer.steps),
          ...Object.values(grievance.steps),
        ]),
      ],
      executionUsers: [
        { user: reactToChanges, stateMachine: dischargePlanning.stateMachine },
        { user: reactToChanges, stateMachine: followUp.stateMachine },
        ...workflows.map((workflow) => ({ user: flagFailed, stateMachine: workflow.stateMachine })),
        { user: checkStayWorkflows, stateMachine: dischargePlanning.stateMachine },
        { user: checkStayWorkflows, stateMachine: followUp.stateMachine },
      ],
      triggerDlq,
    });

    new CfnOutput(this, 'CareEventBusName', { value: careEvents.eventBusName });
    new CfnOutput(this, 'DischargePlanningStateMachineArn', { value: dischargePlanning.stateMachine.stateMachineArn });
    new CfnOutput(this, 'FollowUpStateMachineArn', { value: followUp.stateMachine.stateMachineArn });
    new CfnOutput(this, 'TransferStateMachineArn', { value: transfer.stateMachine.stateMachineArn });
    new CfnOutput(this, 'GrievanceStateMachineArn', { value: grievance.stateMachine.stateMachineArn });
    this.table = table;
    this.logKey = logKey;
    this.tableKey = tableKey;
    this.dischargePlanning = dischargePlanning;
    this.followUp = followUp;
    this.transfer = transfer;
    this.grievance = grievance;
    this.triggerDlq = triggerDlq;
    this.streamConsumers = [reactToChanges, auditAnnounceAndCount];
    // Not the workflow steps: a step failing after its retries fails its execution, which alarms
    // (and opens an operator task), while errors it is meant to raise (an optimistic-lock
    // ConflictError retried, DischargeCancelledError caught) would page for nothing.
    this.backgroundFunctions = [reactToChanges, auditAnnounceAndCount, sweep, escalate, flagFailed, checkStuck, checkStayWorkflows];
  }
}
