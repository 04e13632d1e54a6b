import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stage';
import { CARE_TABLE_INDEXES } from '../constructs/care-table';
import { OperationsAlarms } from '../constructs/operations-alarms';
import type { CarepathApiStack } from './api-stack';
import type { CarepathStack } from './carepath-stack';

export interface CarepathOperationsStackProps extends StackProps {
  config: StageConfig;
  core: CarepathStack;
  api: CarepathApiStack;
}

/** Alarms, their SNS topic and the operations dashboard, over the core and API stacks. */
export class CarepathOperationsStack extends Stack {
  constructor(scope: Construct, id: string, props: CarepathOperationsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { table, logKey, dischargePlanning, followUp, transfer, grievance, triggerDlq } = props.core;
    const http = props.api.http;
    new OperationsAlarms(this, 'Alarms', {
      key: logKey,
      // Most stays end within weeks; one still planning after 60 days needs a person's look.
      stateMachines: [
        { machine: dischargePlanning.stateMachine, name: 'Discharge planning', expectedBound: Duration.days(60) },
        // The 30-day window, plus a day for the last check.
        { machine: followUp.stateMachine, name: 'Post-discharge follow-up', expectedBound: Duration.days(31) },
        // A transfer is hours to a few days; a week means it is stuck.
        { machine: transfer.stateMachine, name: 'Transfer', expectedBound: Duration.days(7) },
        // The 30-day resolution deadline, plus the grace before an operator is asked to look.
        { machine: grievance.stateMachine, name: 'Grievance', expectedBound: Duration.days(45) },
      ],
      deadLetterQueues: [triggerDlq],
      httpApi: http.api,
      table,
      tableIndexes: CARE_TABLE_INDEXES.map((index) => index.indexName),
      backgroundFunctions: props.core.backgroundFunctions,
      streamConsumers: props.core.streamConsumers,
      dashboardName: `${config.prefix}-operations`,
    });

  }
}
