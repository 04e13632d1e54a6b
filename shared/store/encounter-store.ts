import { TransactWriteItemsCommand, UpdateItemCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { patched } from '../domain/adt/apply-to-encounter';
import type { Encounter, EncounterStatus, Patient } from '../domain/encounter';
import { ConflictError, NotFoundError } from '../domain/errors';
import { failedConditions, fromItem, idsBelowInShards, isConditionFailure, isTransactionConflict, queryAll, toItem } from './dynamo';
import {
  AWAITING_PLAN_SHARDS,
  awaitingPlanKey,
  encounterIndex,
  followingUpKey,
  followUpIndex,
  GSI1,
  GSI2,
  keys,
  planningKey,
  stripStorage,
} from './keys';
import { partOfEntityType, partVersion, splitByRecord, STAY_PARTS, withPartFrom } from '../domain/stay-parts';
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
  fields: { [K in keyof Omit<Encounter, 'encounterId' | 'version' | 'status' | 'partVersions'>]?: Encounter[K] | undefined };
}

type UpdateRequest = NonNullable<TransactWriteItem['Update']>;

/** SET the given attributes, REMOVE the ones given as undefined, on the condition given. */
function updateRequest(
  tableName: string,
  key: Record<string, string>,
  assignments: Record<string, unknown>,
  condition: { expression: string; expected?: number },
): UpdateRequest {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = condition.expected === undefined ? {} : { ':expected': condition.expected };
  const sets: string[] = [];
  const removes: string[] = [];
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
    TableName: tableName,
    Key: toItem(key),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: condition.expression,
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: toItem(values) } : {}),
  };
}

/**
 * The conditional updates a change of a stay needs — one for the encounter record when its own
 * fields or status change, one per part whose fields change (each on the version that part was
 * read at, "0" meaning not yet written) — as requests that work alone or inside a transaction,
 * and the stay as it will be. A part's write never touches the encounter's version, so people
 * documenting different parts at once never collide.
 */
export function versionedUpdate(tableName: string, current: Encounter, changes: EncounterChanges, now: Date) {
  const updatedAt = now.toISOString();
  const { own, parts } = splitByRecord(changes.fields);
  const ownChanges = Object.keys(own).length > 0 || (changes.status !== undefined && changes.status !== current.status);
  const partVersions = { ...current.partVersions };
  for (const part of parts.keys()) partVersions[part] = partVersion(current, part) + 1;
  const next: Encounter = {
    ...patched(current, changes.fields),
    status: changes.status ?? current.status,
    version: ownChanges ? current.version + 1 : current.version,
    updatedAt: ownChanges ? updatedAt : current.updatedAt,
    ...(parts.size ? { partVersions } : {}),
  };
  const updates: UpdateRequest[] = [];
  if (ownChanges) {
    // Index attributes follow the encounter on every write (undefined = REMOVE).
    updates.push(
      updateRequest(
        tableName,
        keys.encounter(current.encounterId),
        { ...own, ...encounterIndex(next), status: next.status, version: next.version, updatedAt },
        {
          expression: '#version = :expected',
          expected: current.version,
        },
      ),
    );
  }
  for (const [part, fields] of parts) {
    const read = partVersion(current, part);
    updates.push(
      updateRequest(
        tableName,
        keys.stayPart(current.encounterId, part),
        {
          ...fields,
          ...(part === 'followUp' ? followUpIndex(next) : {}),
          entityType: STAY_PARTS[part].entityType,
          encounterId: current.encounterId,
          part,
          version: read + 1,
          updatedAt,
        },
        read === 0 ? { expression: 'attribute_not_exists(#version)' } : { expression: '#version = :expected', expected: read },
      ),
    );
  }
  return { next, updates };
}

/** A stay as stored: the encounter record and the records of its parts, joined into one encounter. */
export function assembleStay(items: Array<Record<string, unknown>>): Encounter | undefined {
  const record = items.find((item) => item.sk === 'ENCOUNTER');
  if (!record) return undefined;
  let stay: Record<string, unknown> = stripStorage<Record<string, unknown>>(record);
  const partVersions: Record<string, number> = {};
  for (const item of items) {
    const part = partOfEntityType(item.entityType);
    if (!part) continue;
    // The part's record is the whole truth of its fields: a copy an unmigrated encounter record
    // still holds must not show through a field the part removed.
    stay = withPartFrom(stay, part, item);
    partVersions[part] = Number(item.version);
  }
  if (Object.keys(partVersions).length) stay.partVersions = partVersions;
  return stay as unknown as Encounter;
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
  /** The whole stay: the encounter record and its parts, in one consistent Query of the few items that hold them. */
  async function get(encounterId: string): Promise<Encounter | undefined> {
    const { pk } = keys.encounter(encounterId);
    const { items } = await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :stay)',
      ExpressionAttributeValues: toItem({ ':pk': pk, ':stay': keys.stayPrefix }),
      ConsistentRead: true,
    });
    return assembleStay(items.map((item) => fromItem(item)));
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
   * Optimistic update: succeeds only if each record it changes is at the version the caller read,
   * so two writers can never silently overwrite each other (a change of several records is one
   * transaction).
   */
  async function update(current: Encounter, changes: EncounterChanges, now: Date): Promise<Encounter> {
    const { next, updates } = versionedUpdate(tableName, current, changes, now);
    try {
      if (updates.length === 1) await client.send(new UpdateItemCommand(updates[0]!));
      else if (updates.length > 1)
        await client.send(new TransactWriteItemsCommand({ TransactItems: updates.map((Update) => ({ Update })) }));
    } catch (error) {
      if (isConditionFailure(error) || failedConditions(error).length > 0 || isTransactionConflict(error)) {
        throw new ConflictError(`Encounter ${current.encounterId} was changed by someone else; reload and retry`);
      }
      throw error;
    }
    return next;
  }

  /**
   * The encounter records of a patient, oldest admission first (index query, never a scan): the
   * ADT facts, status and plan, not the parts — read a stay by id (`get`) for those.
   */
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
    return idsBelowInShards(client, {
      tableName,
      indexName: GSI2,
      shards: AWAITING_PLAN_SHARDS,
      partition: awaitingPlanKey,
      before,
      pkPrefix: 'ENCOUNTER#',
    });
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
    for (const partition of [awaitingPlanKey, planningKey, followingUpKey])
      ids.push(...(await idsBelowInShards(client, { ...shards, partition })));
    return ids;
  }

  return { get, mustGet, admit, update, listByPatient, listAwaitingPlan, listExpectingWorkflow };
}

export type EncounterStore = ReturnType<typeof encounterStore>;
