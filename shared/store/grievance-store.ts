import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Grievance } from '../domain/grievances';
import { queryByPrefix } from './dynamo';
import { keys } from './keys';
import { tokenHoldingStore } from './token-holding-store';

/** Grievances under the stay they concern, listed per facility by receipt; each holds the token of the execution waiting on it. */
export function grievanceStore(client: DynamoDBClient, tableName: string) {
  const store = tokenHoldingStore<Grievance>(client, tableName, {
    entityType: 'Grievance',
    key: (g) => keys.grievance(g.encounterId, g.grievanceId),
    indexes: (g) => ({ gsi1pk: keys.grievancesOf(g.facilityId), gsi1sk: `${g.receivedAt}#${g.grievanceId}` }),
  });
  const listOfStay = async (encounterId: string) =>
    (await queryByPrefix<Record<string, unknown>>(client, tableName, keys.encounter(encounterId).pk, 'GRIEVANCE#')).map(
      (item) => store.toStored(item).record,
    );
  return { ...store, listOfStay };
}
