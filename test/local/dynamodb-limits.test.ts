import { CreateTableCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb';
import { PARTITION_KEY_TOO_LARGE, queryRefusal } from '../../local/dynamodb-limits';
import type { IamEnforcement } from '../../local/iam/enforcement';
import { startIamDynamoDbProxy } from '../../local/iam/dynamodb-proxy';
import { freePort } from '../support/ports';

const keys = (_table: string, index?: string) => (index === 'gsi1' ? 'gsi1pk' : 'pk');

describe('queryRefusal', () => {
  const query = (expression: string, value: string, names?: Record<string, string>) => ({
    TableName: 'care',
    KeyConditionExpression: expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ':v': { S: value }, ':p': { S: 'ENC#' } },
  });

  it('refuses a partition key value over 2,048 UTF-8 bytes, however the condition is written', () => {
    expect(queryRefusal(query('pk = :v', 'x'.repeat(2049)), keys)).toBe(PARTITION_KEY_TOO_LARGE);
    expect(queryRefusal(query('#k = :v AND begins_with(sk, :p)', 'x'.repeat(2049), { '#k': 'pk' }), keys)).toBe(PARTITION_KEY_TOO_LARGE);
    expect(queryRefusal(query(':v=pk', 'x'.repeat(2049)), keys)).toBe(PARTITION_KEY_TOO_LARGE);
    // 683 three-byte characters: 2,049 bytes, 683 characters.
    expect(queryRefusal(query('pk = :v', '\u20ac'.repeat(683)), keys)).toBe(PARTITION_KEY_TOO_LARGE);
  });

  it('lets through a value of 2,048 bytes, a long sort key value (DynamoDB Local judges those) and other tables’ attributes', () => {
    expect(queryRefusal(query('pk = :v', 'x'.repeat(2048)), keys)).toBeUndefined();
    expect(queryRefusal(query('pk = :p AND sk = :v', 'x'.repeat(5000)), keys)).toBeUndefined();
    expect(queryRefusal({ ...query('gsi1pk = :v', 'x'.repeat(2049)), IndexName: 'gsi1' }, keys)).toBe(PARTITION_KEY_TOO_LARGE);
    expect(queryRefusal({ ...query('pk = :v', 'x'.repeat(2049)), IndexName: 'gsi1' }, keys)).toBeUndefined();
  });
});

describe('the local DynamoDB front', () => {
  let dynamodb: DynamoDbLocal;
  let front: Awaited<ReturnType<typeof startIamDynamoDbProxy>>;
  let direct: DynamoDBClient;
  let throughFront: DynamoDBClient;
  // No principal: these calls are only held to DynamoDB's limits, not authorized.
  const noPrincipals = { principalOfAuthorization: () => undefined, authorizeDynamoDb: () => undefined } as unknown as IamEnforcement;

  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal({ port: await freePort(), region: 'us-east-1' });
    front = await startIamDynamoDbProxy({ upstream: dynamodb.endpoint, enforcement: noPrincipals });
    direct = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    throughFront = new DynamoDBClient({ endpoint: front.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    await direct.send(
      new CreateTableCommand({
        TableName: 'limits',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'gsi1', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
      }),
    );
    await direct.send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'P#1' }, sk: { S: 'A' }, gsi1pk: { S: 'G#1' } } }));
  }, 120_000);

  afterAll(async () => {
    direct?.destroy();
    throughFront?.destroy();
    await front?.close();
    await dynamodb?.stop();
  });

  const over = '\u00e9'.repeat(1025); // 2,050 bytes
  const byPartition = (client: DynamoDBClient, value: string, index?: string) =>
    client.send(
      new QueryCommand({
        TableName: 'limits',
        IndexName: index,
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': index ? 'gsi1pk' : 'pk' },
        ExpressionAttributeValues: { ':v': { S: value } },
      }),
    );

  it('DynamoDB Local itself answers such a Query as matching nothing (why the front checks it)', async () => {
    expect((await byPartition(direct, over)).Count).toBe(0);
    expect((await byPartition(direct, over, 'gsi1')).Count).toBe(0);
  });

  it('refuses it as DynamoDB does, on the table and on an index, and still answers a Query within the limit', async () => {
    await expect(byPartition(throughFront, over)).rejects.toMatchObject({ name: 'ValidationException', message: PARTITION_KEY_TOO_LARGE });
    await expect(byPartition(throughFront, over, 'gsi1')).rejects.toMatchObject({ name: 'ValidationException' });
    expect((await byPartition(throughFront, 'P#1')).Count).toBe(1);
    expect((await byPartition(throughFront, 'G#1', 'gsi1')).Count).toBe(1);
  });
});
