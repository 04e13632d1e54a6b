import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Identifier, Patient } from '../domain/encounter';
import { fromItem, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

export function patientStore(client: DynamoDBClient, tableName: string) {
  async function findIdByIdentifier(facilityId: string, identifier: Identifier): Promise<string | undefined> {
    const out = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: toItem(keys.patientIdentifier(facilityId, identifier.system, identifier.value)),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem<{ patientId: string }>(out.Item).patientId : undefined;
  }

  async function get(patientId: string): Promise<Patient | undefined> {
    const out = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.patient(patientId)), ConsistentRead: true }),
    );
    return out.Item ? stripStorage<Patient>(fromItem(out.Item)) : undefined;
  }

  return { findIdByIdentifier, get };
}

export type PatientStore = ReturnType<typeof patientStore>;
