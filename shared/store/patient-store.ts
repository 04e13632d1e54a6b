import {
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { recordDeath as withDeath, type DeathReport } from '../domain/death';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Identifier, Patient } from '../domain/encounter';
import { failedConditions, fromItem, isConditionFailure, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

/** What a patient change writes; usable alone or inside a larger transaction. */
export function patientWrites(tableName: string) {
  const identifierPut = (facilityId: string, identifier: Identifier, patientId: string, overwrite = false): TransactWriteItem => ({
    Put: {
      TableName: tableName,
      Item: toItem({
        ...keys.patientIdentifier(facilityId, identifier.system, identifier.value),
        entityType: 'PatientIdentifier',
        patientId,
      }),
      // Claiming an identifier must not steal it from another patient (except in a merge).
      ...(overwrite
        ? {}
        : { ConditionExpression: 'attribute_not_exists(pk) OR patientId = :id', ExpressionAttributeValues: toItem({ ':id': patientId }) }),
    },
  });

  return {
    create(patient: Patient): TransactWriteItem[] {
      return [
        {
          Put: {
            TableName: tableName,
            Item: toItem({ ...keys.patient(patient.patientId), entityType: 'Patient', ...patient }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...patient.identifiers.map((identifier) => identifierPut(patient.facilityId, identifier, patient.patientId)),
      ];
    },

    /** Replaces the stored patient if its version is still the one read. */
    replace(current: Patient, next: Patient, options: { claim?: Identifier[]; takeOver?: Identifier[] } = {}): TransactWriteItem[] {
      const versioned = { ...next, version: (current.version ?? 0) + 1 };
      return [
        {
          Put: {
            TableName: tableName,
            Item: toItem({ ...keys.patient(next.patientId), entityType: 'Patient', ...versioned }),
            ConditionExpression: 'attribute_not_exists(version) OR version = :v',
            ExpressionAttributeValues: toItem({ ':v': current.version ?? 0 }),
          },
        },
        ...(options.claim ?? []).map((identifier) => identifierPut(next.facilityId, identifier, next.patientId)),
        ...(options.takeOver ?? []).map((identifier) => identifierPut(next.facilityId, identifier, next.patientId, true)),
      ];
    },
  };
}

export function patientStore(client: DynamoDBClient, tableName: string) {
  async function findIdByIdentifier(facilityId: string, identifier: Identifier): Promise<string | undefined> {
    const out = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: toItem(keys.patientIdentifier(facilityId, identifier.system, identifier.value)),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem<{ patientId: string }>(out.Item).patientId : undefined;
  }

  /** The patient any of these identifiers belongs to (the first one known wins). */
  async function findByIdentifiers(facilityId: string, identifiers: Identifier[]): Promise<Patient | undefined> {
    for (const identifier of identifiers) {
      const patientId = await findIdByIdentifier(facilityId, identifier);
      if (patientId) return get(patientId);
    }
    return undefined;
  }

  async function get(patientId: string): Promise<Patient | undefined> {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.patient(patientId)), ConsistentRead: true }));
    return out.Item ? stripStorage<Patient>(fromItem(out.Item)) : undefined;
  }

  /**
   * Writes a patient change built by patientWrites, mapping its failures: the patient write (first
   * item) failing means a stale version; an identifier write failing means it belongs to someone else.
   */
  async function write(
    items: TransactWriteItem[],
    onStale: () => Error = () => new ConflictError('The patient was changed meanwhile'),
  ): Promise<void> {
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.includes(0)) throw onStale();
      if (failed.length > 0) throw new ConflictError('An identifier already belongs to another patient; merge the records instead');
      throw error;
    }
  }

  async function listByIdentifier(facilityId: string, identifier: Identifier): Promise<Patient[]> {
    const patientId = await findIdByIdentifier(facilityId, identifier);
    const patient = patientId ? await get(patientId) : undefined;
    return patient ? [patient] : [];
  }

  /**
   * Records a death on the patient once (shared/domain/death.ts decides), re-reading when someone
   * changed the record meanwhile. Returns the patient as stored.
   */
  async function recordDeath(patientId: string, report: DeathReport, now: () => Date): Promise<Patient> {
    for (let attempt = 1; ; attempt++) {
      const current = await get(patientId);
      if (!current) throw new NotFoundError(`Patient ${patientId} not found`);
      const { next, changed } = withDeath(current, report, now());
      if (!changed) return current;
      try {
        await write(patientWrites(tableName).replace(current, next));
        return { ...next, version: (current.version ?? 0) + 1 };
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 5) throw error;
      }
    }
  }

  /** The death's effects are done: the outbox mark is cleared (a concurrent change that kept `pending` only repeats them). */
  async function markDeathEffectsDone(patientId: string): Promise<void> {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: toItem(keys.patient(patientId)),
          UpdateExpression: 'SET deathEffects = :done',
          ConditionExpression: 'deathEffects = :pending',
          ExpressionAttributeValues: toItem({ ':done': 'done', ':pending': 'pending' }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  return { findIdByIdentifier, findByIdentifiers, listByIdentifier, get, write, recordDeath, markDeathEffectsDone };
}

export type PatientStore = ReturnType<typeof patientStore>;
