import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EducationItem } from '../domain/education';
import { PreconditionFailedError } from '../domain/errors';
import { isConditionFailure, queryByPrefix, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

/** Education items live under their encounter: one query lists them all. */
export function educationStore(client: DynamoDBClient, tableName: string) {
  const key = (item: Pick<EducationItem, 'encounterId' | 'itemId'>) => keys.educationItem(item.encounterId, item.itemId);

  async function put(item: EducationItem, expectedVersion?: number): Promise<void> {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({ ...key(item), entityType: 'EducationItem', ...item }),
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: toItem({ ':v': expectedVersion }) }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new PreconditionFailedError('The education item was changed since you read it; read it again');
      throw error;
    }
  }

  async function list(encounterId: string): Promise<EducationItem[]> {
    return (await queryByPrefix<Record<string, unknown>>(client, tableName, keys.encounter(encounterId).pk, 'EDUCATION#')).map((item) =>
      stripStorage<EducationItem>(item),
    );
  }

  return { put, list };
}

export type EducationStore = ReturnType<typeof educationStore>;
