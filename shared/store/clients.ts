import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { stampChanges } from './change-stamp';

/**
 * One client per cold start. Endpoints come from the SDK's own AWS_ENDPOINT_URL_DYNAMODB /
 * AWS_ENDPOINT_URL_SFN variables, so the same code talks to AWS or to the local stack.
 */
let dynamodb: DynamoDBClient | undefined;
let sfn: SFNClient | undefined;

export function dynamoClient(): DynamoDBClient {
  // Every write names who made it (see change-stamp.ts): the audit trail reads that from the stream.
  dynamodb ??= stampChanges(new DynamoDBClient({}));
  return dynamodb;
}

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}
