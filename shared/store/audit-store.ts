import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AuditRecord, WorkflowStepRun } from '../domain/audit';
import { ValidationError } from '../domain/errors';
import { fromItem, putIfAbsent, toItem, type Item } from './dynamo';
import { keys, stripStorage } from './keys';

export interface AuditPage {
  items: AuditRecord[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

const MAX_SORT_KEY_BYTES = 1024;

const encodeCursor = (key: Item) => Buffer.from(JSON.stringify(fromItem(key))).toString('base64url');

function decodeCursor(cursor: string, patientId: string): Item {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key.pk !== keys.auditTrail(patientId).pk || typeof key.sk !== 'string') throw new Error('foreign cursor');
    // Only the table's key, and a sort key DynamoDB can hold (1 to 1,024 bytes): anything else in a
    // cursor was not written by page() and would reach DynamoDB as its ValidationException (a 500).
    if (key.sk === '' || Buffer.byteLength(key.sk) > MAX_SORT_KEY_BYTES) throw new Error('not a sort key');
    if (Object.keys(key).length !== 2) throw new Error('not only the key');
    return toItem({ pk: key.pk, sk: key.sk });
  } catch {
    throw new ValidationError('The cursor is not valid', [{ field: 'query.cursor', reason: 'is not a cursor this trail returned' }]);
  }
}

/**
 * A patient's audit trail: one partition, in time order. Records are only ever added (a condition
 * makes a repeated append a no-op); nothing in Carepath updates or deletes them.
 */
export function auditStore(client: DynamoDBClient, tableName: string) {
  /** Appends once: the same auditId again (a retried stream batch or step) changes nothing. */
  async function append(record: AuditRecord): Promise<void> {
    await putIfAbsent(client, tableName, {
      ...keys.auditRecord(record.patientId, record.at, record.auditId),
      entityType: 'AuditRecord',
      ...record,
    });
  }

  /** A workflow state ran: written once per execution and state (its INSERT is what gets audited). */
  async function recordStepRun(run: WorkflowStepRun): Promise<void> {
    await putIfAbsent(client, tableName, {
      ...keys.workflowStepRun(run.encounterId, run.execution, run.state),
      entityType: 'WorkflowStepRun',
      ...run,
    });
  }

  async function page(patientId: string, options: { limit: number; cursor?: string }): Promise<AuditPage> {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: toItem({ ':pk': keys.auditTrail(patientId).pk }),
        Limit: options.limit,
        ...(options.cursor ? { ExclusiveStartKey: decodeCursor(options.cursor, patientId) } : {}),
      }),
    );
    const items = (out.Items ?? []).map((item) => stripStorage<AuditRecord>(fromItem(item)));
    return out.LastEvaluatedKey ? { items, nextCursor: encodeCursor(out.LastEvaluatedKey) } : { items };
  }

  return { append, recordStepRun, page };
}
