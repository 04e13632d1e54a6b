import { GetItemCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CarePlanVersion } from '../domain/care-plan';
import { PreconditionFailedError } from '../domain/errors';
import { failedConditions, fromItem, queryByPrefix, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

/**
 * A plan is its current version (one item, read by key) plus every version ever written
 * (immutable items, read in order). Both are written in one transaction, conditional on the
 * version the author read.
 */
export function carePlanStore(client: DynamoDBClient, tableName: string) {
  async function current(encounterId: string): Promise<CarePlanVersion | undefined> {
    const out = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.carePlan(encounterId)), ConsistentRead: true }),
    );
    return out.Item ? stripStorage<CarePlanVersion>(fromItem(out.Item)) : undefined;
  }

  async function save(next: CarePlanVersion): Promise<void> {
    const previous = next.version - 1;
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: toItem({ ...keys.carePlan(next.encounterId), entityType: 'CarePlan', ...next }),
                ...(previous === 0
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: toItem({ ':previous': previous }) }),
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: toItem({ ...keys.carePlanVersion(next.encounterId, next.version), entityType: 'CarePlanVersion', ...next }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (failedConditions(error).length > 0)
        throw new PreconditionFailedError('The care plan was changed since you read it; read it again');
      throw error;
    }
  }

  async function history(encounterId: string): Promise<CarePlanVersion[]> {
    return (await queryByPrefix<Record<string, unknown>>(client, tableName, keys.encounter(encounterId).pk, 'CAREPLAN#v')).map((item) =>
      stripStorage<CarePlanVersion>(item),
    );
  }

  return { current, save, history };
}
