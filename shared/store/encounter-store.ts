import {
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { patched } from '../domain/adt/apply-to-encounter';
import type { Encounter, EncounterStatus, Patient } from '../domain/encounter';
import { ConflictError, NotFoundError } from '../domain/errors';
import { failedConditions, fromItem, idsBelowInShards, isConditionFailure, isTransactionConflict, queryAll, toItem } from './dynamo';
import { AWAITING_PLAN_SHARDS, awaitingPlanKey, encounterIndex, followingUpKey, GSI1, GSI2, keys, planningKey, stripStorage } from './keys';
import { patientWrites } from './patient-store';

export interface AdmitWrite {
  encounter: Encounter;
  /** Present when the patient is new to this facility; absent when re-admitting a known patient. */
  newPatient?: Patient;
  idempotency?: { key: string; requestHash: string; expiresAt: number; nowSeconds: number };
}

export type AdmitOutcome =
  | { kind: 'created' }
  | { kind: 'replayed'; encounterId: string; requestHash: string }
  | { kind: 'patient-exists' }
  /** Another transaction touched the same items at the same moment: retry. */
  | { kind: 'contended' };

export interface EncounterChanges {
  status?: EncounterStatus;
  /** A field given as `undefined` is removed. */
  fields: { [K in keyof Omit<Encounter, 'encounterId' | 'version' | 'status'>]?: Encounter[K] | undefined };
}

/**
 * The conditional update (SET changed fields, REMOVE cleared ones, bump the version) as a request
 * that works alone or inside a transaction, and the encounter as it will be.
 */
export function versionedUpdate(tableName: string, current: Encounter, changes: EncounterChanges, now: Date) {
  const next: Encounter = {
    ...patched(current, changes.fields),
    status: changes.status ?? current.status,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': current.version };
  const sets: string[] = [];
  const removes: string[] = [];
  // Index attributes follow the encounter on every write (undefined = REMOVE).
  const reindex = encounterIndex(next);
  const assignments = { ...changes.fields, ...reindex, status: next.status, version: next.version, updatedAt: next.updatedAt };
  for (const [index, [field, value]] of Object.entries(assignments).entries()) {
    names[`#f${index}`] = field;
    if (value === undefined) {
      removes.push(`#f${index}`);
    } else {
      values[`:v${index}`] = value;
      sets.push(`#f${index} = :v${index}`);
    }
  }
  return {
    next,
    update: {
      TableName: tableName,
      Key: toItem(keys.encounter(current.encounterId)),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: toItem(values),
    },
  };
}

/** The write that stores a new encounter with its index keys; refused if the id is taken. */
export function newEncounterPut(tableName: string, encounter: Encounter): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({ ...keys.encounter(encounter.encounterId), entityType: 'Encounter', ...encounterIndex(encounter), ...encounter }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function encounterStore(client: DynamoDBClient, tableName: string) {
  async function get(encounterId: string): Promise<Encounter | undefined> {
    const out = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.encounter(encounterId)), ConsistentRead: true }),
    );
    return out.Item ? stripStorage<Encounter>(fromItem(out.Item)) : undefined;
  }

  async function mustGet(encounterId: string): Promise<Encounter> {
    const encounter = await get(encounterId);
    if (!encounter) throw new NotFoundError(`Encounter ${encounterId} not found`);
    return encounter;
  }

  /**
   * Writes patient, identifier, encounter and replay record in one transaction, so an admission
   * is either wholly stored or not at all. The stream's INSERT of the encounter is what starts
   * the discharge-planning workflow.
   */
  async function admit(write: AdmitWrite): Promise<AdmitOutcome> {
    const { encounter, newPatient, idempotency } = write;
    const items: TransactWriteItem[] = [];
    let idempotencyIndex = -1;
    let identifierIndex = -1;
    if (idempotency) {
      idempotencyIndex = items.length;
      items.push({
        Put: {
          TableName: tableName,
          Item: toItem({
            ...keys.idempotency(encounter.facilityId, idempotency.key),
            entityType: 'AdmitRequest',
            encounterId: encounter.encounterId,
            requestHash: idempotency.requestHash,
            expiresAt: idempotency.expiresAt,
          }),
          // TTL deletes lazily (up to days late): an expired record no longer counts.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: toItem({ ':now': idempotency.nowSeconds }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
    }
    if (newPatient) {
      const [patientPut, ...identifierPuts] = patientWrites(tableName).create(newPatient);
      items.push(patientPut!);
      if (identifierPuts.length) identifierIndex = items.length;
      items.push(...identifierPuts);
    }
    items.push(newEncounterPut(tableName, encounter));

    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { kind: 'created' };
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.includes(idempotencyIndex)) {
        const reasons = (error as { CancellationReasons?: Array<{ Item?: Record<string, never> }> }).CancellationReasons;
        const old = reasons?.[idempotencyIndex]?.Item;
        const previous = old ? fromItem<{ encounterId: string; requestHash: string }>(old) : undefined;
        if (previous) return { kind: 'replayed', encounterId: previous.encounterId, requestHash: previous.requestHash };
      }
      if (identifierIndex >= 0 && failed.some((index) => index >= identifierIndex)) return { kind: 'patient-exists' };
      if (isTransactionConflict(error)) return { kind: 'contended' };
      throw error;
    }
  }

  /**
   * Optimistic update: succeeds only if the stored version is the one the caller read, so two
   * writers can never silently overwrite each other.
   */
  async function update(current: Encounter, changes: EncounterChanges, now: Date): Promise<Encounter> {
    const { next, update: request } = versionedUpdate(tableName, current, changes, now);
    try {
      await client.send(new UpdateItemCommand(request));
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(`Encounter ${current.encounterId} was changed by someone else; reload and retry`);
      }
      throw error;
    }
    return next;
  }

  /** Every encounter of a patient, oldest admission first (index query, never a scan). */
  async function listByPatient(patientId: string): Promise<Encounter[]> {
    const { items } = await queryAll(client, {
      TableName: tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: toItem({ ':pk': keys.encountersOfPatient(patientId) }),
    });
    return items.map((item) => stripStorage<Encounter>(fromItem(item)));
  }

  /** Encounters admitted before `before` that still await a discharge plan (sparse index). */
  async function listAwaitingPlan(before: string): Promise<string[]> {
    return idsBelowInShards(client, { tableName, indexName: GSI2, shards: AWAITING_PLAN_SHARDS, partition: awaitingPlanKey, before, pkPrefix: 'ENCOUNTER#' });
  }

  /**
   * Ids of every stay whose workflow should be running — discharge planning (inpatient or
   * observation, not discharged or cancelled) or, after discharge, an open TCM follow-up — from
   * the sparse index's awaiting-plan, planning and following-up partitions: the liveness check
   * reads these, never the table.
   */
  async function listExpectingWorkflow(): Promise<string[]> {
    const everything = '~'; // sorts after every ISO timestamp
    const shards = { tableName, indexName: GSI2, shards: AWAITING_PLAN_SHARDS, before: everything, pkPrefix: 'ENCOUNTER#' };
    const ids: string[] = [];
    for (const partition of [awaitingPlanKey, planningKey, followingUpKey]) ids.push(...(await idsBelowInShards(client, { ...shards, partition })));
    return ids;
  }

  return { get, mustGet, admit, update, listByPatient, listAwaitingPlan, listExpectingWorkflow };
}

export type EncounterStore = ReturnType<typeof encounterStore>;
