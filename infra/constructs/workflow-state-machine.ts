import { ArnFormat, Stack, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { logRetention, physicalName, type StageConfig } from '../config/stage';

export interface WorkflowStateMachineProps {
  config: StageConfig;
  logKey: IKey;
  /** The physical name's suffix: `<prefix>-<workflow>`. */
  workflow: string;
  comment: string;
  definition: sfn.IChainable;
  timeout: Duration;
}

/**
 * What every Carepath state machine shares: a Standard workflow named `<prefix>-<workflow>`,
 * tracing on, and execution logs that record events but never execution data (it holds PHI).
 */
export function workflowStateMachine(scope: Construct, props: WorkflowStateMachineProps): sfn.StateMachine {
  const name = physicalName(props.config, props.workflow);
  const logGroup = new logs.LogGroup(scope, 'ExecutionLogs', {
    logGroupName: `/aws/vendedlogs/states/${name}`,
    retention: logRetention(props.config),
    encryptionKey: props.logKey,
  });
  return new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: name,
    stateMachineType: sfn.StateMachineType.STANDARD,
    comment: props.comment,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    timeout: props.timeout,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
}

/**
 * A retried "Await" state hands what already happened to its new token, so the Lambda behind it
 * may answer its own machine's tasks. The ARN is built from the name: a reference to the machine
 * would make a dependency cycle (machine → function → its policy → machine).
 */
export function allowAnsweringOwnTasks(scope: Construct, config: StageConfig, workflow: string, functions: IFunction[]): void {
  const machineArn = Stack.of(scope).formatArn({ service: 'states', resource: 'stateMachine', resourceName: physicalName(config, workflow), arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  for (const fn of functions) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [machineArn] }));
}
