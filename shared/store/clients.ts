import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * One client per cold start. Endpoints come from the SDK's own AWS_ENDPOINT_URL_DYNAMODB /
 * AWS_ENDPOINT_URL_SFN variables, so the same code talks to AWS or to the local stack.
 */
let dynamodb: DynamoDBClient | undefined;
let sfn: SFNClient | undefined;

export function dynamoClient(): DynamoDBClient {
  dynamodb ??= new DynamoDBClient({});
  return dynamodb;
}

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}
