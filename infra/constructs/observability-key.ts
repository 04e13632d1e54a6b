import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { removalPolicy, type StageConfig } from '../config/stage';

/**
 * The customer-managed key for logs and operator alerts. Logs are written without PHI by design;
 * the key is the second line of defence, and lets the hospital revoke access to them.
 */
export class ObservabilityKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Carepath logs and alerts encryption',
      enableKeyRotation: true,
      removalPolicy: removalPolicy(props.config),
    });
    const { region, account, partition } = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
      }),
    );
    // CloudWatch alarms publish to the encrypted alerts topic: this account's alarms only, so no
    // other account's alarm can have CloudWatch use the key (confused deputy).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
  }
}
