import {
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { ADT_FIELD_LIMITS } from '../domain/adt/field-bounds';
import { utf8Bytes } from '../domain/text-hygiene';
import type { Encounter } from '../domain/encounter';
import { sha256 } from '../ids';
import { fromItem, isConditionFailure, queryAll, toItem } from './dynamo';
import { encounterIndex, GSI1, keys } from './keys';

export type AdtMessageStatus = 'received' | 'processed' | 'ignored' | 'rejected';

/** Every message received, raw, with its hash: the feed's audit and replay log. */
export interface StoredAdtMessage {
  facilityId: string;
  sendingFacility: string;
  controlId: string;
  raw: string;
  sha256: string;
  receivedAt: string;
  event?: string;
  eventTime?: string;
  status: AdtMessageStatus;
  ackCode?: 'AA' | 'AE' | 'AR';
  note?: string;
  encounterId?: string;
  patientId?: string;
  /** Why an earlier copy was refused with AR, when a resend was then processed again. */
  refusedBefore?: string;
  reopenedAt?: string;
}

export interface AuditEntry {
  at: string;
  action: string;
  /** Who or what: an API client, 'adt:<sending facility>', 'workflow'. Never a patient detail. */
  actor: string;
  /** Whose trail the entry belongs in (the stream consumer copies it there; shared/domain/audit.ts). */
  patientId?: string;
  facilityId?: string;
  encounterId?: string;
  detail?: Record<string, unknown>;
}

/**
 * A sender or control id over its bound (interpretAdt refuses those) is keyed, and kept beside the
 * raw message, by its hash, so the refused message is still stored and its resend finds it. '@'
 * never survives URI encoding in a key, so no real value aliases a hashed one.
 */
function keyPart(value: string, maxBytes: number): string {
  return utf8Bytes(value) <= maxBytes ? value : `@sha256:${sha256(value)}`;
}

function boundedRef<T extends Pick<StoredAdtMessage, 'sendingFacility' | 'controlId'>>(m: T): T {
  return {
    ...m,
    sendingFacility: keyPart(m.sendingFacility, ADT_FIELD_LIMITS.hdBytes),
    controlId: keyPart(m.controlId, ADT_FIELD_LIMITS.idBytes),
  };
}

/** Messages by facility and day received: for replay, audit and counting, never a scan. */
function receivedIndex(m: { facilityId: string; receivedAt: string; controlId: string }) {
  return { gsi1pk: keys.adtReceivedOn(m.facilityId, m.receivedAt.slice(0, 10)), gsi1sk: `${m.receivedAt}#${m.controlId}` };
}

export function adtStore(client: DynamoDBClient, tableName: string) {
  const messageKey = (m: Pick<StoredAdtMessage, 'facilityId' | 'sendingFacility' | 'controlId'>) => {
    const bounded = boundedRef(m);
    return keys.adtMessage(m.facilityId, bounded.sendingFacility, bounded.controlId);
  };

  /** Stores a message unless its (facility, sending facility, control id) is already there. */
  async function receive(message: StoredAdtMessage): Promise<{ stored: true } | { stored: false; existing: StoredAdtMessage }> {
    const bounded = boundedRef(message);
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({ ...messageKey(bounded), ...receivedIndex(bounded), entityType: 'AdtMessage', ...bounded }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { stored: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { stored: false, existing: (await get(message))! };
    }
  }

  async function get(ref: Pick<StoredAdtMessage, 'facilityId' | 'sendingFacility' | 'controlId'>): Promise<StoredAdtMessage | undefined> {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(messageKey(ref)), ConsistentRead: true }));
    return out.Item ? fromItem<StoredAdtMessage>(out.Item) : undefined;
  }

  /** A message that has no usable MSH is kept too, under its content hash. */
  async function receiveUnreadable(facilityId: string, raw: string, sha256: string, receivedAt: string, note: string): Promise<void> {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({
          ...keys.adtUnreadable(facilityId, sha256),
          ...receivedIndex({ facilityId, receivedAt, controlId: sha256 }),
          entityType: 'AdtMessage',
          facilityId,
          raw,
          sha256,
          receivedAt,
          status: 'rejected',
          ackCode: 'AR',
          note,
        }),
      }),
    );
  }

  /** Marks a stored message done; inside a transaction, so state change and mark are one. */
  function markWrite(
    message: Pick<StoredAdtMessage, 'facilityId' | 'sendingFacility' | 'controlId'>,
    outcome: { status: AdtMessageStatus; ackCode: 'AA' | 'AE' | 'AR'; note?: string; encounterId?: string; patientId?: string },
  ): TransactWriteItem {
    const values: Record<string, unknown> = {
      ':status': outcome.status,
      ':ack': outcome.ackCode,
      ':received': 'received',
      ':note': outcome.note ?? '',
    };
    let expression = 'SET #status = :status, ackCode = :ack, note = :note';
    if (outcome.encounterId) {
      expression += ', encounterId = :enc';
      values[':enc'] = outcome.encounterId;
    }
    if (outcome.patientId) {
      expression += ', patientId = :pat';
      values[':pat'] = outcome.patientId;
    }
    return {
      Update: {
        TableName: tableName,
        Key: toItem(messageKey(message)),
        UpdateExpression: expression,
        // Processed once: a second attempt finds the message no longer "received".
        ConditionExpression: '#status = :received',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: toItem(values),
      },
    };
  }

  async function mark(...args: Parameters<typeof markWrite>): Promise<void> {
    const { Update } = markWrite(...args);
    await client.send(new UpdateItemCommand(Update!));
  }

  /**
   * Puts a message refused with AR back to "received" so its resend is processed again: AR means
   * "resend it unchanged later" (the receiver, e.g. its sending-facility list, may have changed).
   * False when another copy reopened or processed it first. The refusal's reason stays in `refusedBefore`.
   */
  async function reopen(message: Pick<StoredAdtMessage, 'facilityId' | 'sendingFacility' | 'controlId'>, at: string): Promise<boolean> {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: toItem(messageKey(message)),
          UpdateExpression: 'SET #status = :received, refusedBefore = note, reopenedAt = :at REMOVE ackCode',
          ConditionExpression: '#status = :rejected AND ackCode = :ar',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({ ':received': 'received', ':rejected': 'rejected', ':ar': 'AR', ':at': at }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  function auditWrite(owner: { pk: string }, entry: AuditEntry, id: string): TransactWriteItem {
    return {
      Put: {
        TableName: tableName,
        // AdtEvent entries are audited (the patient's trail shows them); they were plumbing before issue 16.
        Item: toItem({ ...keys.audit(owner, entry.at, id), entityType: 'AdtEvent', entryId: id, ...entry }),
      },
    };
  }

  async function findEncounterIdByVisit(facilityId: string, visitNumber: string): Promise<string | undefined> {
    const out = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.visit(facilityId, visitNumber)), ConsistentRead: true }),
    );
    return out.Item ? fromItem<{ encounterId: string }>(out.Item).encounterId : undefined;
  }

  /** A new encounter and its visit-number index entry, both only if absent. */
  function createEncounterWrites(encounter: Encounter): TransactWriteItem[] {
    return [
      {
        Put: {
          TableName: tableName,
          Item: toItem({ ...keys.encounter(encounter.encounterId), entityType: 'Encounter', ...encounterIndex(encounter), ...encounter }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: toItem({
            ...keys.visit(encounter.facilityId, encounter.visitNumber!),
            entityType: 'Visit',
            encounterId: encounter.encounterId,
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /** How many messages a facility's feed delivered on a day (YYYY-MM-DD), each stored once. */
  async function countReceivedOn(facilityId: string, day: string): Promise<number> {
    const { count } = await queryAll(client, {
      TableName: tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: toItem({ ':pk': keys.adtReceivedOn(facilityId, day) }),
      Select: 'COUNT',
    });
    return count;
  }

  async function transact(items: TransactWriteItem[]): Promise<void> {
    await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
  }

  return {
    receive,
    get,
    countReceivedOn,
    receiveUnreadable,
    markWrite,
    mark,
    reopen,
    auditWrite,
    findEncounterIdByVisit,
    createEncounterWrites,
    transact,
  };
}

export type AdtStore = ReturnType<typeof adtStore>;
