import {
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { Encounter, EncounterStatus, Patient } from '../domain/encounter';
import { ConflictError, NotFoundError } from '../domain/errors';
import { failedConditions, fromItem, isConditionFailure, isTransactionConflict, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

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
  fields: Partial<Omit<Encounter, 'encounterId' | 'version' | 'status'>>;
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
      items.push({
        Put: {
          TableName: tableName,
          Item: toItem({ ...keys.patient(newPatient.patientId), entityType: 'Patient', ...newPatient }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      for (const identifier of newPatient.identifiers) {
        if (identifierIndex < 0) identifierIndex = items.length;
        items.push({
          Put: {
            TableName: tableName,
            Item: toItem({
              ...keys.patientIdentifier(newPatient.facilityId, identifier.system, identifier.value),
              entityType: 'PatientIdentifier',
              patientId: newPatient.patientId,
            }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
    }
    items.push({
      Put: {
        TableName: tableName,
        Item: toItem({ ...keys.encounter(encounter.encounterId), entityType: 'Encounter', ...encounter }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });

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
    const next: Encounter = {
      ...current,
      ...changes.fields,
      status: changes.status ?? current.status,
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': current.version };
    const sets: string[] = [];
    const assignments = { ...changes.fields, status: next.status, version: next.version, updatedAt: next.updatedAt };
    for (const [index, [field, value]] of Object.entries(assignments).entries()) {
      if (value === undefined) continue;
      names[`#f${index}`] = field;
      values[`:v${index}`] = value;
      sets.push(`#f${index} = :v${index}`);
    }
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: toItem(keys.encounter(current.encounterId)),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: toItem(values),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(`Encounter ${current.encounterId} was changed by someone else; reload and retry`);
      }
      throw error;
    }
    return next;
  }

  return { get, mustGet, admit, update };
}

export type EncounterStore = ReturnType<typeof encounterStore>;
