import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildTransferDefinition, type TransferSteps } from '../../workflows/transfer/definition';
import type { StageConfig } from '../config/stage';
import { ServiceFunction } from './service-function';
import { allowAnsweringOwnTasks, workflowStateMachine } from './workflow-state-machine';

/** The Transfer state machine and the Lambda steps behind its states (workflows/transfer/definition.ts is the graph). */
export class TransferWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly steps: TransferSteps;

  constructor(scope: Construct, id: string, props: { config: StageConfig; table: Table; logKey: IKey; openOperatorTask: IFunction }) {
    super(scope, id);
    const fn = (stepId: string, handlerDir: string) =>
      new ServiceFunction(this, stepId, { config: props.config, logKey: props.logKey, handlerDir, environment: { TABLE_NAME: props.table.tableName } }).fn;
    const own = {
      askReceivingFacility: fn('AskReceivingFacility', 'ask-receiving-facility'),
      awaitTransfer: fn('AwaitTransfer', 'await-transfer'),
      recordNoAnswer: fn('RecordNoAnswer', 'record-no-answer'),
      sendTransferRecords: fn('SendTransferRecords', 'send-transfer-records'),
      closeTransfer: fn('CloseTransfer', 'close-transfer'),
      compensateTransfer: fn('CompensateTransfer', 'compensate-transfer'),
    };
    for (const step of Object.values(own)) props.table.grantReadWriteData(step);
    this.steps = { ...own, openOperatorTask: props.openOperatorTask };
    allowAnsweringOwnTasks(this, props.config, 'transfer', [own.awaitTransfer]);
    this.stateMachine = workflowStateMachine(this, {
      config: props.config,
      logKey: props.logKey,
      table: props.table,
      workflow: 'transfer',
      comment: 'Transfer to another facility: ask receiving facilities in turn, records, transport, arrival; a cancel compensates.',
      definition: buildTransferDefinition(this, this.steps),
      timeout: Duration.days(14),
    });
  }
}
