import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors';
import { fromItem, isConditionFailure, settleResume, toItem } from './dynamo';
import { stripStorage } from './keys';

export interface Stored<T> {
  record: T;
  /** The token of the execution waiting on this record (never returned by the API). */
  taskToken?: string;
}

type Key = { pk: string; sk: string };

/**
 * A record that a workflow waits on (a transfer, a grievance): every change is a whole-item put
 * conditional on the version read, so the workflow, the people and the outside parties changing
 * one record never overwrite each other; the waiting execution's task token rides along.
 */
export function tokenHoldingStore<T extends { version: number }>(
  client: DynamoDBClient,
  tableName: string,
  spec: { entityType: string; key: (record: T) => Key; indexes?: (record: T) => Record<string, string> },
) {
  const toStored = (item: Record<string, unknown>): Stored<T> => {
    const taskToken = typeof item.taskToken === 'string' ? item.taskToken : undefined;
    return { record: stripStorage<T>(item), ...(taskToken ? { taskToken } : {}) };
  };
  const put = (record: T, taskToken: string | undefined, condition: string, values: Record<string, unknown> = {}) =>
    client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({
          ...spec.key(record),
          ...(spec.indexes?.(record) ?? {}),
          entityType: spec.entityType,
          ...record,
          ...(taskToken ? { taskToken } : {}),
        }),
        ConditionExpression: condition,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: toItem(values) } : {}),
      }),
    );

  async function get(key: Key): Promise<Stored<T> | undefined> {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(key), ConsistentRead: true }));
    return out.Item ? toStored(fromItem(out.Item)) : undefined;
  }

  async function mustGet(key: Key, what: string): Promise<Stored<T>> {
    const found = await get(key);
    if (!found) throw new NotFoundError(`${what} not found`);
    return found;
  }

  /** Stores a new record; a retried request finds it there (false). */
  async function create(record: T): Promise<boolean> {
    try {
      await put(record, undefined, 'attribute_not_exists(pk)');
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The next version, only over the version read; the token stays unless a new one is given. */
  async function update(current: Stored<T>, next: T, taskToken = current.taskToken): Promise<Stored<T>> {
    const saved = { ...next, version: current.record.version + 1 };
    try {
      await put(saved, taskToken, 'version = :read', { ':read': current.record.version });
      return { record: saved, ...(taskToken ? { taskToken } : {}) };
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`${spec.entityType} was changed meanwhile`);
      throw error;
    }
  }

  /** Read, change, write; a lost race (someone else's change in between) reads again, a few times. `undefined`: no change. */
  async function change(
    key: Key,
    what: string,
    apply: (current: Stored<T>) => { record: T; taskToken?: string } | undefined,
  ): Promise<Stored<T>> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await mustGet(key, what);
      const next = apply(current);
      if (!next) return current;
      try {
        return await update(current, next.record, next.taskToken ?? current.taskToken);
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 5) throw error;
      }
    }
  }

  async function markResume(key: Key, resume: 'delivered' | 'not-waiting'): Promise<void> {
    await settleResume(client, tableName, key, resume);
  }

  return { get, mustGet, create, update, change, markResume, toStored };
}
