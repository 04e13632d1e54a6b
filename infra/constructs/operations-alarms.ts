import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  key: IKey;
  stateMachines: IStateMachine[];
  deadLetterQueues: IQueue[];
}

/**
 * What must wake someone: a workflow that failed, timed out or was aborted (a patient may be
 * left without a plan), and anything parked in a dead-letter queue. Subscribe the on-call
 * address or pager to the `topic`.
 */
export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alerts', { masterKey: props.key, enforceSSL: true });
    const notify = new actions.SnsAction(this.topic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(notify);
    };
    const period = Duration.minutes(5);
    props.stateMachines.forEach((machine, i) => {
      alarm(`Failed${i}`, machine.metricFailed({ period }), 'A care workflow failed: find the encounter by execution name.');
      alarm(`TimedOut${i}`, machine.metricTimedOut({ period }), 'A care workflow timed out.');
      alarm(`Aborted${i}`, machine.metricAborted({ period }), 'A care workflow was stopped.');
    });
    props.deadLetterQueues.forEach((queue, i) => {
      alarm(
        `DeadLetters${i}`,
        queue.metricApproximateNumberOfMessagesVisible({ period }),
        'A record change could not be processed after all retries (see the queue for its stream position).',
      );
    });
  }
}
