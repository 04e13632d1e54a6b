import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  key: IKey;
  /**
   * Each state machine, its name for people, and its physical name: the `workflow` dimension of
   * Carepath's own metrics about it (routine stops, stuck executions).
   */
  stateMachines: Array<{ machine: IStateMachine; name: string; workflow: string }>;
  deadLetterQueues: IQueue[];
  httpApi: IHttpApi;
  table: ITable;
  /** The table's global secondary indexes: a throttled index throttles the table's writes too. */
  tableIndexes: readonly string[];
  /** Functions nobody waits on (stream consumers, schedules): their errors show nowhere else. */
  backgroundFunctions: IFunction[];
  /** Functions reading the table's stream: an old iterator means changes wait unprocessed. */
  streamConsumers: IFunction[];
  /** Stream records older than this alarm. @default 5 minutes */
  iteratorAge?: Duration;
  /** Dashboard name. */
  dashboardName: string;
  /** API p99 latency above this alarms. @default 2 seconds */
  apiLatencyP99?: Duration;
}

/**
 * What must wake someone, and one dashboard to look at when it does: a workflow that failed,
 * timed out, was aborted or ran past its expected bound (a patient may be left without a plan);
 * anything parked in a dead-letter queue; API server errors and slow answers; DynamoDB
 * throttling. Subscribe the on-call address or pager to the `topic`.
 */
export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alerts', { masterKey: props.key, enforceSSL: true });
    const notify = new actions.SnsAction(this.topic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(notify);
      return created;
    };
    const period = Duration.minutes(5);
    const alarms: cloudwatch.IAlarm[] = [];
    const carepathMetric = (metricName: string, workflow: string, statistic: string, metricPeriod = period) =>
      // Powertools adds the service dimension to every metric (shared/observability/metrics.ts).
      new cloudwatch.Metric({
        namespace: 'Carepath',
        metricName,
        dimensionsMap: { service: 'carepath', workflow },
        period: metricPeriod,
        statistic,
      });
    props.stateMachines.forEach(({ machine, name, workflow }, i) => {
      // Carepath stops executions itself (A11 admission cancelled, A13 discharge cancelled) and
      // counts each stop: only the stops nobody here made page.
      const unexpectedStops = new cloudwatch.MathExpression({
        expression: 'aborted - FILL(routine, 0)',
        usingMetrics: {
          aborted: machine.metricAborted({ period, statistic: 'Sum' }),
          routine: carepathMetric('ExecutionsStoppedByCarepath', workflow, 'Sum'),
        },
        period,
        label: `${name}: executions stopped, not by Carepath`,
      });
      alarms.push(
        alarm(
          `Failed${i}`,
          machine.metricFailed({ period }),
          `${name}: an execution failed (see its Needs-attention task; find the encounter by execution name).`,
        ),
        alarm(`TimedOut${i}`, machine.metricTimedOut({ period }), `${name}: an execution timed out.`),
        alarm(`Aborted${i}`, unexpectedStops, `${name}: an execution was stopped, and not by Carepath's own A11/A13 handling.`),
        alarm(
          `Stuck${i}`,
          carepathMetric('ExecutionsOverAgeLimit', workflow, 'Maximum', Duration.hours(1)),
          `${name}: an execution is still running past its limit (check-stuck-executions; see the state machine's running executions).`,
        ),
      );
    });
    props.deadLetterQueues.forEach((queue, i) => {
      alarms.push(
        alarm(
          `DeadLetters${i}`,
          queue.metricApproximateNumberOfMessagesVisible({ period }),
          'A record change could not be processed after all retries (see the queue for its stream position).',
        ),
      );
    });
    const serverErrors = props.httpApi.metricServerError({ period, statistic: 'Sum' });
    const latencyP99 = props.httpApi.metricLatency({ period, statistic: 'p99' });
    alarms.push(
      alarm('ApiServerErrors', serverErrors, 'The API answered 5xx: see the function logs by request id.', 5),
      alarm(
        'ApiLatencyP99',
        latencyP99,
        'API p99 latency is above its target.',
        (props.apiLatencyP99 ?? Duration.seconds(2)).toMilliseconds(),
      ),
    );
    const throttles = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: props.table.tableName },
        period,
        statistic: 'Sum',
      });
    alarms.push(
      alarm('TableReadThrottles', throttles('ReadThrottleEvents'), 'DynamoDB throttled reads of the care table.'),
      alarm('TableWriteThrottles', throttles('WriteThrottleEvents'), 'DynamoDB throttled writes to the care table.'),
    );
    // An index is throttled on its own (and a throttled index throttles the table's writes).
    const indexThrottles = (metricName: string, indexName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: props.table.tableName, GlobalSecondaryIndexName: indexName },
        period,
        statistic: 'Sum',
      });
    props.tableIndexes.forEach((indexName, i) => {
      alarms.push(
        alarm(
          `IndexReadThrottles${i}`,
          indexThrottles('ReadThrottleEvents', indexName),
          `DynamoDB throttled reads of the care table's index ${indexName}.`,
        ),
        alarm(
          `IndexWriteThrottles${i}`,
          indexThrottles('WriteThrottleEvents', indexName),
          `DynamoDB throttled writes to the care table's index ${indexName} (the table's writes wait on it).`,
        ),
      );
    });
    // Route functions' errors are the API's 5xx and workflow steps' their executions' failures;
    // these run where no caller sees them fail.
    props.backgroundFunctions.forEach((fn, i) => {
      alarms.push(
        alarm(
          `FunctionErrors${i}`,
          fn.metricErrors({ period, statistic: 'Sum' }),
          'A stream consumer or scheduled function failed: see its log group (from the function).',
        ),
      );
    });
    // Lambda's account-wide throttles: any throttled function (API, steps, consumers) is capacity missing.
    alarms.push(
      alarm(
        'FunctionThrottles',
        new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', period, statistic: 'Sum' }),
        'Lambda throttled invocations in this account and region: concurrency is exhausted.',
      ),
    );
    const iteratorAge = props.iteratorAge ?? Duration.minutes(5);
    props.streamConsumers.forEach((fn, i) => {
      alarms.push(
        alarm(
          `StreamIteratorAge${i}`,
          fn.metric('IteratorAge', { period, statistic: 'Maximum' }),
          `A care-table stream consumer is more than ${iteratorAge.toHumanString()} behind: workflows and audit lines wait.`,
          iteratorAge.toMilliseconds(),
        ),
      );
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 }),
      ...props.stateMachines.map(
        ({ machine, name }) =>
          new cloudwatch.GraphWidget({
            title: `${name}: executions`,
            left: [
              machine.metricStarted({ period }),
              machine.metricSucceeded({ period }),
              machine.metricFailed({ period }),
              machine.metricTimedOut({ period }),
            ],
            width: 12,
          }),
      ),
      new cloudwatch.GraphWidget({
        title: 'Executions: oldest running (seconds)',
        left: props.stateMachines.map(({ name, workflow }) =>
          carepathMetric('OldestRunningExecutionAge', workflow, 'Maximum', Duration.hours(1)).with({ label: name }),
        ),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API: requests and 5xx',
        left: [props.httpApi.metricCount({ period }), serverErrors],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API: latency p50 / p99 (ms)',
        left: [props.httpApi.metricLatency({ period, statistic: 'p50' }), latencyP99],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'DynamoDB: throttled events',
        left: [throttles('ReadThrottleEvents'), throttles('WriteThrottleEvents')],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues: records waiting',
        left: props.deadLetterQueues.map((queue) => queue.metricApproximateNumberOfMessagesVisible({ period })),
        width: 12,
      }),
    );
  }
}
