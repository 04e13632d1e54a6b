import {
  ConditionalCheckFailedException,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
  type TransactWriteItem,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

export type Item = Record<string, AttributeValue>;

export const toItem = (value: Record<string, unknown>): Item => marshall(value, { removeUndefinedValues: true, convertEmptyValues: false });

export const fromItem = <T = Record<string, unknown>>(item: Item): T => unmarshall(item) as T;

export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';
}

/** Index (in the transaction's item order) of every item whose condition failed. */
export function failedConditions(error: unknown): number[] {
  if (!(error instanceof TransactionCanceledException) && (error as Error)?.name !== 'TransactionCanceledException') {
    return [];
  }
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  return reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
}

/** A transaction cancelled because another one was touching the same items: safe to retry. */
export function isTransactionConflict(error: unknown): boolean {
  const reasons = (error as TransactionCanceledException)?.CancellationReasons ?? [];
  return (error as Error)?.name === 'TransactionCanceledException' && reasons.some((r) => r.Code === 'TransactionConflict');
}

/**
 * What DynamoDB refuses for what was asked, not for the moment: a key or item over its size limit,
 * a transaction over 100 items (ValidationException), or a transaction cancelled for a
 * ValidationError with nothing transient beside it. Retrying cannot help, so a caller must not
 * answer "try again later". Throttling, 5xx, timeouts and conflicts are not this.
 */
export function isPermanentStoreFailure(error: unknown): boolean {
  const name = (error as Error)?.name;
  if (name === 'ValidationException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const codes = ((error as TransactionCanceledException).CancellationReasons ?? []).map((reason) => reason.Code);
  return (
    codes.includes('ValidationError') &&
    !codes.some((code) => code === 'TransactionConflict' || code === 'ThrottlingError' || code === 'ProvisionedThroughputExceeded')
  );
}

/** Every page of a query: items, and (with Select COUNT) the total count. Never a scan. */
export async function queryAll(client: DynamoDBClient, input: QueryCommandInput): Promise<{ items: Item[]; count: number }> {
  const items: Item[] = [];
  let count = 0;
  let startKey: Item | undefined;
  do {
    const out = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(out.Items ?? []));
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return { items, count };
}

/** Items of one partition whose sort key starts with `prefix`, in sort-key order (consistent read). */
export async function queryByPrefix<T>(client: DynamoDBClient, tableName: string, pk: string, prefix: string): Promise<T[]> {
  const { items } = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: toItem({ ':pk': pk, ':prefix': prefix }),
    ConsistentRead: true,
  });
  return items.map((item) => fromItem<T>(item));
}

/** Writes the item unless one with its key exists: true when written, false when it was already there. */
export async function putIfAbsent(client: DynamoDBClient, tableName: string, item: Record<string, unknown>): Promise<boolean> {
  try {
    await client.send(new PutItemCommand({ TableName: tableName, Item: toItem(item), ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * The outbox's last step: a record whose `resume` is `pending` becomes `delivered` (or
 * `not-waiting`) once its workflow has the answer. Conditional, so a repeat changes nothing.
 */
export async function settleResume(
  client: DynamoDBClient,
  tableName: string,
  key: { pk: string; sk: string },
  resume: 'delivered' | 'not-waiting',
): Promise<void> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: toItem(key),
        UpdateExpression: 'SET #resume = :resume',
        ConditionExpression: '#resume = :pending',
        ExpressionAttributeNames: { '#resume': 'resume' },
        ExpressionAttributeValues: toItem({ ':resume': resume, ':pending': 'pending' }),
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * The table keys (pk, with `pkPrefix` cut off) of every item in a sharded sparse index whose sort
 * key is below `before`: one query per shard, never a scan.
 */
export async function idsBelowInShards(
  client: DynamoDBClient,
  input: { tableName: string; indexName: string; shards: number; partition: (shard: number) => string; before: string; pkPrefix: string },
): Promise<string[]> {
  const ids: string[] = [];
  for (let shard = 0; shard < input.shards; shard++) {
    const { items } = await queryAll(client, {
      TableName: input.tableName,
      IndexName: input.indexName,
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
      ExpressionAttributeValues: toItem({ ':pk': input.partition(shard), ':before': input.before }),
    });
    ids.push(...items.map((item) => String(fromItem<{ pk: string }>(item).pk).slice(input.pkPrefix.length)));
  }
  return ids;
}

/**
 * One transaction. A failed condition is the caller's answer (`refusal` gets the failed items'
 * indexes); a conflict with a concurrent transaction on the same items is retried with jittered
 * backoff, as a hot item (a slot, a caseload counter) sees many at once.
 */
export async function transactWithRetry(
  client: DynamoDBClient,
  items: TransactWriteItem[],
  refusal: (failed: number[]) => Error,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.length) throw refusal(failed);
      if (!isTransactionConflict(error) || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * attempt));
    }
  }
}
