import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildGrievanceDefinition, type GrievanceSteps } from '../../workflows/grievance/definition';
import type { StageConfig } from '../config/stage';
import { ServiceFunction } from './service-function';
import { allowAnsweringOwnTasks, workflowStateMachine } from './workflow-state-machine';

/** The Grievance state machine and the Lambda steps behind its states (workflows/grievance/definition.ts is the graph). */
export class GrievanceWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly steps: GrievanceSteps;

  constructor(scope: Construct, id: string, props: { config: StageConfig; table: Table; logKey: IKey; openOperatorTask: IFunction }) {
    super(scope, id);
    const fn = (stepId: string, handlerDir: string) =>
      new ServiceFunction(this, stepId, { config: props.config, logKey: props.logKey, handlerDir, environment: { TABLE_NAME: props.table.tableName } }).fn;
    const own = {
      openGrievance: fn('OpenGrievance', 'open-grievance'),
      referGrievanceToQio: fn('ReferGrievanceToQio', 'refer-grievance-to-qio'),
      awaitGrievance: fn('AwaitGrievance', 'await-grievance'),
      escalateGrievance: fn('EscalateGrievance', 'escalate-grievance'),
      closeGrievance: fn('CloseGrievance', 'close-grievance'),
    };
    for (const step of Object.values(own)) props.table.grantReadWriteData(step);
    allowAnsweringOwnTasks(this, props.config, 'grievance', [own.awaitGrievance]);
    this.steps = { ...own, openOperatorTask: props.openOperatorTask };
    this.stateMachine = workflowStateMachine(this, {
      config: props.config,
      logKey: props.logKey,
      table: props.table,
      workflow: 'grievance',
      comment: 'Grievances (42 CFR 482.13): named contact, written acknowledgement and decision by their deadlines, QIO referral.',
      definition: buildGrievanceDefinition(this, this.steps),
      // The resolution deadline, 60 days of escalation, and room for a redrive.
      timeout: Duration.days(120),
    });
  }
}
