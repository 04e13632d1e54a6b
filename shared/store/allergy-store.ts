import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PreconditionFailedError } from '../domain/errors';
import type { AllergyList } from '../domain/medications/allergies';
import { fromItem, isConditionFailure, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

/** A patient's allergy list: one item per patient, replaced only over the version the author read. */
export function allergyStore(client: DynamoDBClient, tableName: string) {
  async function get(patientId: string): Promise<AllergyList | undefined> {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.allergyList(patientId)), ConsistentRead: true }));
    return out.Item ? stripStorage<AllergyList>(fromItem(out.Item)) : undefined;
  }

  async function save(next: AllergyList): Promise<void> {
    const previous = next.version - 1;
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({ ...keys.allergyList(next.patientId), entityType: 'AllergyList', ...next }),
          ...(previous === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: toItem({ ':previous': previous }) }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new PreconditionFailedError('The allergy list was changed since you read it; read it again');
      throw error;
    }
  }

  return { get, save };
}
