import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding Carepath accepts, in one place, each with the reason a reviewer needs.
 * A new finding fails synth until it is fixed or added here with a reason.
 */
export interface AcknowledgedParts {
  table: IConstruct;
  /** Functions a state machine invokes (CDK grants them with a `:*` version qualifier). */
  workflowFunctions: IConstruct[];
  /** Functions that read or stop a machine's executions (execution:<machine>:*). */
  executionUsers: Array<{ user: IConstruct; stateMachine: IConstruct | string }>;
  /** The core stack's dead-letter queue (absent from the other stacks). */
  triggerDlq?: IConstruct;
}

/**
 * How cdk-nag writes an ARN's partition, region and account in a finding id: `<AWS::Region>` while
 * the stack is environment-agnostic (`npm run synth`), the literal value once the stack has one
 * (the CDK CLI sets CDK_DEFAULT_REGION/ACCOUNT on every command).
 */
export function arnPrefix(stack: Stack, service: string): string {
  const literal = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return `arn:${literal(stack.partition, 'Partition')}:${service}:${literal(stack.region, 'Region')}:${literal(stack.account, 'AccountId')}`;
}

export function acknowledgeStackFindings(stack: Stack, parts: AcknowledgedParts): void {
  const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
  // The table as a finding names it: by logical id in its own stack, by ARN where imported by name.
  const table =
    Stack.of(parts.table) === stack && parts.table.node.defaultChild
      ? `<${logicalId(parts.table)}.Arn>`
      : `${arnPrefix(stack, 'dynamodb')}:table/${(parts.table as ITable).tableName}`;
  // A state machine of this stack, by its name's token; one imported by name, by that name.
  const machine = (stateMachine: IConstruct | string) =>
    typeof stateMachine === 'string' ? stateMachine : `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId(stateMachine)}"}]}]}`;
  Validations.of(stack).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole only lets each function write its own logs.',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource narrower than *.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::${table}/index/*]`,
      reason: "grantRead/WriteData covers the care table's own indexes, nothing else.",
    },
    {
      id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      reason: "CDK's table grants give the functions the care table's own key (one key ARN, no other) for DynamoDB's envelope encryption.",
    },
    {
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: "CDK's table grants give the functions the care table's own key (one key ARN, no other) for DynamoDB's envelope encryption.",
    },
    {
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason: 'CDK grants write one least-privilege policy per function role; they are reviewed in test/infra.',
    },
    {
      id: 'AwsSolutions-L1',
      reason: 'Pinned to Node.js 22, the major the local stack and tests run on; move both together.',
    },
    {
      id: 'HIPAA.Security-LambdaInsideVPC',
      reason:
        'Functions call only AWS APIs (DynamoDB, Step Functions) over TLS with IAM; no private network resources. Add VPC endpoints if site policy requires.',
    },
    {
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        'API and workflow steps are invoked synchronously; the stream consumer has an on-failure queue and the scheduled sweep a dead-letter queue on its EventBridge target.',
    },
    {
      id: 'HIPAA.Security-LambdaConcurrency',
      reason: 'Reserved concurrency would fail deployments in accounts with the default low limit; API throttling bounds load instead.',
    },
    {
      id: 'HIPAA.Security-DynamoDBInBackupPlan',
      reason: 'Point-in-time recovery (35 days) is on; an AWS Backup plan follows the hospital’s own retention policy.',
    },
  );
  Validations.of(stack).acknowledge(
    ...parts.workflowFunctions.map((fn) => ({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
      reason: 'Step Functions may invoke this workflow step with any version qualifier, as CDK grants.',
    })),
  );
  for (const { user, stateMachine } of parts.executionUsers) {
    Validations.of(user).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arnPrefix(stack, 'states')}:execution:${machine(stateMachine)}:*]`,
      reason: 'Reading or stopping this state machine’s executions (execution:<machine>:*), nothing else.',
    });
  }
  if (parts.triggerDlq) {
    Validations.of(parts.triggerDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the record-change stream consumer.',
    });
  }
}
