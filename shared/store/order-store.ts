import {
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { Order } from '../domain/orders';
import { failedConditions, fromItem, isTransactionConflict, putIfAbsent, queryAll, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

/** Orders are compared within a rule (e.g. thyroid function), or by code when no rule applies. */
export const orderGroup = (order: Pick<Order, 'ruleId' | 'code'>) => order.ruleId ?? `${order.code.system}|${order.code.code}`;

export type PlaceOutcome =
  | { kind: 'placed' }
  /** The same placer order number was placed before: that order stands (a retry, not a new order). */
  | { kind: 'replayed'; orderId: string }
  /** Someone placed an order of the same group since the check: check again. */
  | { kind: 'raced' };

/** A refused duplicate order; `overriddenByOrderId` once it was placed anyway, with a reason. */
export interface DuplicateFlag {
  facilityId: string;
  encounterId: string;
  placerOrderNumber: string;
  earlierOrderId: string;
  ruleId: string;
  at: string;
  overriddenByOrderId?: string;
}

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
          ExpressionAttributeValues: toItem({
            ':pk': keys.patient(patientId).pk,
            ':from': `ORDER#${group}#${since}`,
            ':to': `ORDER#${group}#~`,
          }),
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
    const pointer = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.orderPlacer(facilityId, placerOrderNumber)), ConsistentRead: true }),
    );
    if (!pointer.Item) return undefined;
    const { orderKey } = fromItem<{ orderKey: { pk: string; sk: string } }>(pointer.Item);
    const order = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(orderKey), ConsistentRead: true }));
    return order.Item ? stripStorage<Order>(fromItem(order.Item)) : undefined;
  }

  /** Order, placer pointer and guard in one transaction; an order placed over a duplicate warning marks its flag. */
  async function place(order: Order, expectedGuard: string | undefined): Promise<PlaceOutcome> {
    const group = orderGroup(order);
    const orderKey = keys.order(order.patientId, group, order.orderedAt, order.orderId);
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: toItem({
            ...keys.orderPlacer(order.facilityId, order.placerOrderNumber),
            entityType: 'OrderPlacer',
            orderId: order.orderId,
            orderKey,
          }),
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
    if (order.duplicateOverride) {
      items.push({
        Update: {
          TableName: tableName,
          Key: toItem(keys.duplicateFlag(order.facilityId, order.placerOrderNumber)),
          UpdateExpression: 'SET overriddenByOrderId = :orderId',
          ExpressionAttributeValues: toItem({ ':orderId': order.orderId }),
        },
      });
    }
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

  /** A refused duplicate, kept once per placer order number however often it is resent (the metrics count it). */
  async function flagDuplicate(flag: DuplicateFlag): Promise<void> {
    await putIfAbsent(client, tableName, {
      ...keys.duplicateFlag(flag.facilityId, flag.placerOrderNumber),
      entityType: 'DuplicateOrderFlag',
      ...flag,
    });
  }

  /**
   * One stay's orders, oldest first. Orders are keyed by patient (the duplicate check reads across
   * stays), so this reads the patient's orders and keeps the stay's: a patient has few enough.
   */
  async function forEncounter(patientId: string, encounterId: string): Promise<Order[]> {
    const { items } = await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'encounterId = :encounterId',
      ExpressionAttributeValues: toItem({ ':pk': keys.patient(patientId).pk, ':prefix': 'ORDER#', ':encounterId': encounterId }),
    });
    const found = items.map((item) => stripStorage<Order>(fromItem(item)));
    return found.sort((a, b) => a.orderedAt.localeCompare(b.orderedAt) || a.orderId.localeCompare(b.orderId));
  }

  return { recent, byPlacerNumber, place, flagDuplicate, forEncounter };
}

export type OrderStore = ReturnType<typeof orderStore>;
