import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { GSI1, GSI2 } from '../../shared/store/keys';
import { physicalName, removalPolicy, type StageConfig } from '../config/stage';

/**
 * The table's global secondary indexes, the one list of them: the table is built from it and the
 * routes stacks import the table with it (a grant on an import without its indexes misses
 * `table/<name>/index/*`, and every query on an index is denied).
 */
export const CARE_TABLE_INDEXES: readonly dynamodb.GlobalSecondaryIndexProps[] = [
  {
    indexName: GSI1,
    partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.ALL,
  },
  // Sparse: only encounters still waiting for a discharge plan have these keys (daily sweep).
  {
    indexName: GSI2,
    partitionKey: { name: 'gsi2pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'gsi2sk', type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.KEYS_ONLY,
  },
];

/**
 * The single care-record table (see shared/store/keys.ts for the access patterns).
 * On-demand, point-in-time recovery, KMS encryption, and a stream (new and old images) that
 * drives the workflow triggers.
 */
export class CareTable extends Construct {
  readonly table: dynamodb.Table;
  /** The table's own customer-managed key: the hospital can audit every use and revoke access to PHI at rest. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Carepath care record (PHI) encryption at rest',
      enableKeyRotation: true,
      removalPolicy: removalPolicy(props.config),
    });
    this.table = new dynamodb.Table(this, 'Table', {
      // Named, so the API stack and operators find it without a cross-stack export.
      tableName: physicalName(props.config, 'care-record'),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: props.config.retainData,
      removalPolicy: removalPolicy(props.config),
    });
    for (const index of CARE_TABLE_INDEXES) this.table.addGlobalSecondaryIndex(index);
  }
}
