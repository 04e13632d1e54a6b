import { ArnFormat, Stack, type Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { logRetention, physicalName, removalPolicy, type StageConfig } from '../config/stage';

export interface WorkflowStateMachineProps {
  config: StageConfig;
  logKey: IKey;
  /** The physical name's suffix: `<prefix>-<workflow>`. */
  workflow: string;
  comment: string;
  definition: sfn.IChainable;
  timeout: Duration;
  /** The care table, whose key a direct DynamoDB state of the definition needs. */
  table: ITable;
}

/**
 * What every Carepath state machine shares: a Standard workflow named `<prefix>-<workflow>`,
 * tracing on, and execution logs that record events but never execution data (it holds PHI).
 */
export function workflowStateMachine(scope: Construct, props: WorkflowStateMachineProps): sfn.StateMachine {
  const name = physicalName(props.config, props.workflow);
  // Step Functions asks for the /aws/vendedlogs/ prefix: other log groups it writes to go into the
  // account's CloudWatch Logs resource policy, which is limited to 5,120 characters. The one fixed
  // name Carepath keeps; it follows the stage's removal policy, so where nothing is retained
  // (dev) a destroy or a rolled-back first create frees the name again.
  const logGroup = new logs.LogGroup(scope, 'ExecutionLogs', {
    logGroupName: `/aws/vendedlogs/states/${name}`,
    retention: logRetention(props.config),
    encryptionKey: props.logKey,
    removalPolicy: removalPolicy(props.config),
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: name,
    stateMachineType: sfn.StateMachineType.STANDARD,
    comment: props.comment,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    timeout: props.timeout,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  grantKeyToDirectTableStates(stateMachine, props.definition, props.table);
  return stateMachine;
}

/**
 * A direct DynamoDB state (DynamoUpdateItem, ...) is the state machine's own role calling DynamoDB,
 * and on a table encrypted with a customer-managed key DynamoDB uses that key as the caller: the
 * task grants the dynamodb action only, so without this the state fails AccessDenied on AWS.
 * Reads get kms:Decrypt; writes also Encrypt/GenerateDataKey*, as CDK's table grants do.
 */
function grantKeyToDirectTableStates(stateMachine: sfn.StateMachine, definition: sfn.IChainable, table: ITable): void {
  if (!table.encryptionKey) return;
  const states = sfn.State.findReachableStates(definition.startState);
  const writes = states.some(
    (s) => s instanceof tasks.DynamoPutItem || s instanceof tasks.DynamoUpdateItem || s instanceof tasks.DynamoDeleteItem,
  );
  const reads = writes || states.some((s) => s instanceof tasks.DynamoGetItem);
  if (writes) table.encryptionKey.grantEncryptDecrypt(stateMachine);
  else if (reads) table.encryptionKey.grantDecrypt(stateMachine);
}

/**
 * A retried "Await" state hands what already happened to its new token, so the Lambda behind it
 * may answer its own machine's tasks. The ARN is built from the name: a reference to the machine
 * would make a dependency cycle (machine → function → its policy → machine).
 */
export function allowAnsweringOwnTasks(scope: Construct, config: StageConfig, workflow: string, functions: IFunction[]): void {
  const machineArn = Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: physicalName(config, workflow),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  for (const fn of functions) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [machineArn] }));
}
