import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Transfer } from '../domain/transfers';
import { queryByPrefix } from './dynamo';
import { keys } from './keys';
import { tokenHoldingStore, type Stored } from './token-holding-store';

export interface StoredTransfer {
  transfer: Transfer;
  taskToken?: string;
}

const asTransfer = ({ record, taskToken }: Stored<Transfer>): StoredTransfer => ({ transfer: record, ...(taskToken ? { taskToken } : {}) });

/** Transfers under their encounter, each holding the token of the execution waiting on it. */
export function transferStore(client: DynamoDBClient, tableName: string) {
  const store = tokenHoldingStore<Transfer>(client, tableName, {
    entityType: 'Transfer',
    key: (t) => keys.transfer(t.encounterId, t.transferId),
  });
  const what = (transferId: string) => `Transfer ${transferId}`;
  return {
    get: async (encounterId: string, transferId: string) => {
      const found = await store.get(keys.transfer(encounterId, transferId));
      return found && asTransfer(found);
    },
    mustGet: async (encounterId: string, transferId: string) =>
      asTransfer(await store.mustGet(keys.transfer(encounterId, transferId), what(transferId))),
    list: async (encounterId: string): Promise<Transfer[]> =>
      (await queryByPrefix<Record<string, unknown>>(client, tableName, keys.encounter(encounterId).pk, 'TRANSFER#')).map(
        (item) => store.toStored(item).record,
      ),
    create: (transfer: Transfer) => store.create(transfer),
    markResume: (encounterId: string, transferId: string, resume: 'delivered' | 'not-waiting') =>
      store.markResume(keys.transfer(encounterId, transferId), resume),
    /** Read, change, write, re-read on a lost race (see tokenHoldingStore). */
    change: async (
      encounterId: string,
      transferId: string,
      apply: (current: StoredTransfer) => { transfer: Transfer; taskToken?: string } | undefined,
    ) =>
      asTransfer(
        await store.change(keys.transfer(encounterId, transferId), what(transferId), (current) => {
          const next = apply(asTransfer(current));
          return next && { record: next.transfer, ...(next.taskToken ? { taskToken: next.taskToken } : {}) };
        }),
      ),
  };
}
