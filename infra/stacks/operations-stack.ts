import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { physicalName, type StageConfig } from '../config/stage';
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
      // Their age limits are the stage's executionAgeLimitDays (functions/check-stuck-executions).
      stateMachines: [
        { machine: dischargePlanning.stateMachine, name: 'Discharge planning', workflow: physicalName(config, 'discharge-planning') },
        { machine: followUp.stateMachine, name: 'Post-discharge follow-up', workflow: physicalName(config, 'post-discharge-follow-up') },
        { machine: transfer.stateMachine, name: 'Transfer', workflow: physicalName(config, 'transfer') },
        { machine: grievance.stateMachine, name: 'Grievance', workflow: physicalName(config, 'grievance') },
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
