import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '../observability/tracer';
import { stampChanges } from './change-stamp';

/**
 * One client per cold start. Endpoints come from the SDK's own AWS_ENDPOINT_URL_DYNAMODB /
 * AWS_ENDPOINT_URL_SFN variables, so the same code talks to AWS or to the local stack. Each call
 * is a trace subsegment on AWS.
 */
let dynamodb: DynamoDBClient | undefined;
let sfn: SFNClient | undefined;

export function dynamoClient(): DynamoDBClient {
  // Every write names who made it (see change-stamp.ts): the audit trail reads that from the stream.
  dynamodb ??= stampChanges(tracer.captureAWSv3Client(new DynamoDBClient({})));
  return dynamodb;
}

export function sfnClient(): SFNClient {
  sfn ??= tracer.captureAWSv3Client(new SFNClient({}));
  return sfn;
}
