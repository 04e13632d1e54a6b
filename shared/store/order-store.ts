import { GetItemCommand, QueryCommand, TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Order } from '../domain/orders';
import { failedConditions, fromItem, isTransactionConflict, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

/** Orders are compared within a rule (e.g. thyroid function), or by code when no rule applies. */
export const orderGroup = (order: Pick<Order, 'ruleId' | 'code'>) => order.ruleId ?? `${order.code.system}|${order.code.code}`;

export type PlaceOutcome =
  | { kind: 'placed' }
  /** The same placer order number was placed before: that order stands (a retry, not a new order). */
  | { kind: 'replayed'; orderId: string }
  /** Someone placed an order of the same group since the check: check again. */
  | { kind: 'raced' };

/** The day counters of duplicate checks, per facility (the metrics read them, never the orders). */
const counter = (tableName: string, facilityId: string, day: string, field: string, by: number): TransactWriteItem => ({
  Update: {
    TableName: tableName,
    Key: toItem(keys.facilityDay(facilityId, day)),
    UpdateExpression: 'SET entityType = :type ADD #field :by',
    ExpressionAttributeNames: { '#field': field },
    ExpressionAttributeValues: toItem({ ':type': 'FacilityDayCounters', ':by': by }),
  },
});

/**
 * A patient's orders by group and time (one query answers "anything of this group since X?"), a
 * pointer per placer order number (a resend finds its order), and per group the latest order as
 * a guard: placing an order is conditional on the guard the check read, so two practitioners
 * ordering the same test at once cannot both pass the check.
 */
export function orderStore(client: DynamoDBClient, tableName: string) {
  async function recent(patientId: string, group: string, since: string): Promise<{ orders: Order[]; guard: string | undefined }> {
    const [orders, guard] = await Promise.all([
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: toItem({ ':pk': keys.patient(patientId).pk, ':from': `ORDER#${group}#${since}`, ':to': `ORDER#${group}#~` }),
          ConsistentRead: true,
        }),
      ),
      client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.orderGuard(patientId, group)), ConsistentRead: true })),
    ]);
    return {
      orders: (orders.Items ?? []).map((item) => stripStorage<Order>(fromItem(item))),
      guard: guard.Item ? fromItem<{ latestOrderId: string }>(guard.Item).latestOrderId : undefined,
    };
  }

  async function byPlacerNumber(facilityId: string, placerOrderNumber: string): Promise<Order | undefined> {
    const pointer = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.orderPlacer(facilityId, placerOrderNumber)), ConsistentRead: true }));
    if (!pointer.Item) return undefined;
    const { orderKey } = fromItem<{ orderKey: { pk: string; sk: string } }>(pointer.Item);
    const order = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(orderKey), ConsistentRead: true }));
    return order.Item ? stripStorage<Order>(fromItem(order.Item)) : undefined;
  }

  /** Order, placer pointer and guard in one transaction; an override also counts on the day. */
  async function place(order: Order, expectedGuard: string | undefined, day: string): Promise<PlaceOutcome> {
    const group = orderGroup(order);
    const orderKey = keys.order(order.patientId, group, order.orderedAt, order.orderId);
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: toItem({ ...keys.orderPlacer(order.facilityId, order.placerOrderNumber), entityType: 'OrderPlacer', orderId: order.orderId, orderKey }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: tableName, Item: toItem({ ...orderKey, entityType: 'Order', ...order }) } },
      {
        Put: {
          TableName: tableName,
          Item: toItem({ ...keys.orderGuard(order.patientId, group), entityType: 'OrderGuard', latestOrderId: order.orderId }),
          ...(expectedGuard
            ? { ConditionExpression: 'latestOrderId = :expected', ExpressionAttributeValues: toItem({ ':expected': expectedGuard }) }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
    ];
    if (order.duplicateOverride) items.push(counter(tableName, order.facilityId, day, 'duplicateOrdersOverridden', 1));
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { kind: 'placed' };
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.includes(0)) {
        const existing = await byPlacerNumber(order.facilityId, order.placerOrderNumber);
        if (existing) return { kind: 'replayed', orderId: existing.orderId };
      }
      if (failed.includes(2) || isTransactionConflict(error)) return { kind: 'raced' };
      throw error;
    }
  }

  /** A refused duplicate, counted once per placer order number however often it is resent. */
  async function flagDuplicate(flag: { facilityId: string; placerOrderNumber: string; earlierOrderId: string; ruleId: string; at: string }, day: string): Promise<void> {
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: toItem({ ...keys.duplicateFlag(flag.facilityId, flag.placerOrderNumber), entityType: 'DuplicateOrderFlag', ...flag }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            counter(tableName, flag.facilityId, day, 'duplicateOrdersFlagged', 1),
          ],
        }),
      );
    } catch (error) {
      if (failedConditions(error).includes(0)) return;
      throw error;
    }
  }

  async function dayCounters(facilityId: string, day: string): Promise<Record<string, number>> {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.facilityDay(facilityId, day)), ConsistentRead: true }));
    return out.Item ? stripStorage<Record<string, number>>(fromItem(out.Item)) : {};
  }

  return { recent, byPlacerNumber, place, flagDuplicate, dayCounters };
}

export type OrderStore = ReturnType<typeof orderStore>;
