import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Transfer } from '../domain/transfers';
import { fromItem, isConditionFailure, queryByPrefix, settleResume, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

export interface StoredTransfer {
  transfer: Transfer;
  /** The token of the execution waiting on this transfer (never returned by the API). */
  taskToken?: string;
}

/**
 * Transfers under their encounter. Every change is a whole-item put conditional on the version
 * read: the workflow, the receiving facility and the care team change one transfer, and none
 * may overwrite another's change.
 */
export function transferStore(client: DynamoDBClient, tableName: string) {
  const toStored = (item: Record<string, unknown>): StoredTransfer => {
    const taskToken = typeof item.taskToken === 'string' ? item.taskToken : undefined;
    return { transfer: stripStorage<Transfer>(item), ...(taskToken ? { taskToken } : {}) };
  };
  const put = (transfer: Transfer, taskToken: string | undefined, condition: string, values: Record<string, unknown> = {}) =>
    client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({ ...keys.transfer(transfer.encounterId, transfer.transferId), entityType: 'Transfer', ...transfer, ...(taskToken ? { taskToken } : {}) }),
        ConditionExpression: condition,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: toItem(values) } : {}),
      }),
    );

  async function get(encounterId: string, transferId: string): Promise<StoredTransfer | undefined> {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.transfer(encounterId, transferId)), ConsistentRead: true }));
    return out.Item ? toStored(fromItem(out.Item)) : undefined;
  }

  async function mustGet(encounterId: string, transferId: string): Promise<StoredTransfer> {
    const found = await get(encounterId, transferId);
    if (!found) throw new NotFoundError(`Transfer ${transferId} not found`);
    return found;
  }

  async function list(encounterId: string): Promise<Transfer[]> {
    return (await queryByPrefix<Record<string, unknown>>(client, tableName, keys.encounter(encounterId).pk, 'TRANSFER#')).map((item) => toStored(item).transfer);
  }

  /** Stores a new transfer; a retried request finds it there (false). */
  async function create(transfer: Transfer): Promise<boolean> {
    try {
      await put(transfer, undefined, 'attribute_not_exists(pk)');
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The next version of a transfer, only over the version read; the token stays unless a new one is given. */
  async function update(current: StoredTransfer, next: Transfer, taskToken = current.taskToken): Promise<StoredTransfer> {
    const saved = { ...next, version: current.transfer.version + 1 };
    try {
      await put(saved, taskToken, 'version = :read', { ':read': current.transfer.version });
      return { transfer: saved, ...(taskToken ? { taskToken } : {}) };
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Transfer ${next.transferId} was changed meanwhile`);
      throw error;
    }
  }

  async function markResume(encounterId: string, transferId: string, resume: 'delivered' | 'not-waiting'): Promise<void> {
    await settleResume(client, tableName, keys.transfer(encounterId, transferId), resume);
  }

  return { get, mustGet, list, create, update, markResume };
}

/** Read, change, write; a lost race (someone else's change in between) reads again, a few times. */
export async function changeTransfer(
  store: ReturnType<typeof transferStore>,
  encounterId: string,
  transferId: string,
  change: (current: StoredTransfer) => { transfer: Transfer; taskToken?: string } | undefined,
): Promise<StoredTransfer> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await store.mustGet(encounterId, transferId);
    const next = change(current);
    if (!next) return current;
    try {
      return await store.update(current, next.transfer, next.taskToken ?? current.taskToken);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 5) throw error;
    }
  }
}
