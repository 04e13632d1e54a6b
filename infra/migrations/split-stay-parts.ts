import { randomUUID } from 'node:crypto';
import { ScanCommand, TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { ChangeStamp } from '../../shared/domain/audit';
import { DATA_MIGRATION_ACTOR_PREFIX } from '../../shared/domain/care-events';
import type { Encounter } from '../../shared/domain/encounter';
import { fieldsOfPart, partOfEntityType, STAY_PART_NAMES, STAY_PARTS, type StayPart } from '../../shared/domain/stay-parts';
import { failedConditions, fromItem, isTransactionConflict, queryAll, toItem } from '../../shared/store/dynamo';
import { assembleStay } from '../../shared/store/encounter-store';
import { encounterIndex, followUpIndex, keys } from '../../shared/store/keys';

/**
 * One-off migration for issue 18 item 1: before it, an encounter was one item (sk ENCOUNTER)
 * holding every part's fields; now each part of a stay (shared/domain/stay-parts.ts) is its own
 * record (sk ENCOUNTER#<part>) with its own version, and the follow-up part carries the
 * following-up index. This moves the parts' fields of every old-shape encounter into part
 * records, one stay per transaction.
 *
 * Idempotent: a stay whose encounter record holds no part field is left alone, and a part record
 * already there (written by the new code after deployment) wins over the encounter's copy, which
 * is only removed. Resumable: each Scan segment's position after each page is in the checkpoint,
 * and a page redone after an interruption finds its stays already split. Safe beside live
 * traffic: each stay's transaction is conditional on the encounter's version as read and on each
 * part record still being absent; a stay changed meanwhile is read again and retried.
 */

const FIELD_NAMES = STAY_PART_NAMES.flatMap((part) => [...STAY_PARTS[part].fields]) as string[];

/** Who the audit trail names for the migration's writes (no person, no patient data). */
const MIGRATION_ACTOR = { who: `${DATA_MIGRATION_ACTOR_PREFIX}split-stay-parts`, role: 'system' } as const;

export interface SplitCounts {
  /** Encounter records the scan saw. */
  scanned: number;
  /** Stays whose parts this run moved into part records. */
  migrated: number;
  /** Encounter records that held no part field (split before, or never documented). */
  alreadySplit: number;
  /** Part records written from the encounter's copy. */
  partsWritten: number;
  /** Parts the encounter still held but whose record the new code had written already (that record kept). */
  partsKept: number;
  /** Transactions refused because the stay changed between read and write, each read again and retried. */
  conflictsRetried: number;
  /** Stays still changing after every attempt: not migrated, listed by id in `failed`; run again. */
  gaveUp: number;
}

/**
 * Where each Scan segment stands: `start`, the key to continue after, or `done`. The key can be
 * any item's (a patient identifier's, a visit number's), so it is kept in a checkpoint, never
 * printed.
 */
export interface Checkpoint {
  segments: number;
  positions: Array<'start' | 'done' | Record<string, unknown>>;
}

export interface SplitOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Parallel Scan segments (default 1). A checkpoint fixes the number: resuming keeps it. */
  segments?: number;
  /** Items each Scan page evaluates (DynamoDB's Limit; default 1,000). */
  pageSize?: number;
  resumeFrom?: Checkpoint;
  /** Stop each segment after this many pages (a partial run; resume from the checkpoint). */
  maxPages?: number;
  /** Stays migrated at once within a page (default 4). */
  concurrency?: number;
  /** Attempts per stay when it keeps changing under the migration (default 8). */
  maxAttempts?: number;
  /** After each page: the counts so far and the checkpoint to resume from. */
  onPage?: (progress: { segment: number; page: number; counts: SplitCounts; checkpoint: Checkpoint }) => void | Promise<void>;
  now?: () => Date;
}

export interface SplitResult {
  counts: SplitCounts;
  checkpoint: Checkpoint;
  /** Every segment scanned to its end. */
  complete: boolean;
  /** Ids of the stays given up on (see `gaveUp`). */
  failed: string[];
}

type Stored = Record<string, unknown>;

/**
 * The one transaction that splits a stay as read (its encounter record and part records), or
 * undefined when the encounter record holds no part field. Puts each part the encounter holds and
 * no record has yet; removes every part field from the encounter and sets its index attributes
 * as encounterIndex gives them now (the following-up partitions moved to the follow-up part).
 */
export function splitTransaction(
  tableName: string,
  items: Stored[],
  stamp: ChangeStamp,
): { writes: TransactWriteItem[]; partsWritten: number; partsKept: number } | undefined {
  const record = items.find((item) => item.sk === keys.stayPrefix);
  if (!record) return undefined;
  const held = FIELD_NAMES.filter((field) => record[field] !== undefined);
  if (held.length === 0) return undefined;
  const stay = assembleStay(items)!;
  const existing = new Set(items.map((item) => partOfEntityType(item.entityType)).filter((part): part is StayPart => part !== undefined));
  const writes: TransactWriteItem[] = [];
  let partsKept = 0;
  for (const part of STAY_PART_NAMES) {
    const fields = fieldsOfPart(part, record);
    if (Object.keys(fields).length === 0) continue;
    if (existing.has(part)) {
      partsKept++;
      continue;
    }
    writes.push({
      Put: {
        TableName: tableName,
        Item: toItem({
          ...keys.stayPart(stay.encounterId, part),
          ...fields,
          ...(part === 'followUp' ? followUpIndex(stay) : {}),
          entityType: STAY_PARTS[part].entityType,
          encounterId: stay.encounterId,
          part,
          version: 1,
          // When its content was last written: the encounter's last change, not this move.
          updatedAt: record.updatedAt,
          lastChange: stamp,
        }),
        // A part the new code wrote since this read wins: the transaction fails and is redone.
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  const partsWritten = writes.length;

  const index = encounterIndex(stay as Encounter);
  const names: Record<string, string> = { '#version': 'version', '#lastChange': 'lastChange' };
  const values: Record<string, unknown> = { ':lastChange': stamp };
  const sets = ['#lastChange = :lastChange'];
  const removes: string[] = [];
  held.forEach((field, i) => {
    names[`#p${i}`] = field;
    removes.push(`#p${i}`);
  });
  Object.entries(index).forEach(([attribute, value], i) => {
    names[`#i${i}`] = attribute;
    if (value === undefined) removes.push(`#i${i}`);
    else {
      values[`:i${i}`] = value;
      sets.push(`#i${i} = :i${i}`);
    }
  });
  const readVersion = record.version;
  if (readVersion !== undefined) values[':read'] = readVersion;
  writes.push({
    Update: {
      TableName: tableName,
      Key: toItem(keys.encounter(stay.encounterId)),
      // The version is NOT bumped: the stay as read through the API is the same before and after
      // (a read joins the part records back in), so an ETag a client holds still describes what it
      // has, and a bump would only fail every edit in flight during the migration with 412. The
      // condition still refuses to overwrite a concurrent edit, which is then read again.
      UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
      ConditionExpression: readVersion === undefined ? 'attribute_exists(pk) AND attribute_not_exists(#version)' : '#version = :read',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: toItem(values),
    },
  });
  return { writes, partsWritten, partsKept };
}

const emptyCounts = (): SplitCounts => ({
  scanned: 0,
  migrated: 0,
  alreadySplit: 0,
  partsWritten: 0,
  partsKept: 0,
  conflictsRetried: 0,
  gaveUp: 0,
});

export async function splitStayParts(options: SplitOptions): Promise<SplitResult> {
  const { client, tableName } = options;
  const segments = options.resumeFrom?.segments ?? options.segments ?? 1;
  if (!Number.isInteger(segments) || segments < 1) throw new Error(`segments must be a whole number of at least 1 (got ${segments})`);
  if (options.resumeFrom && options.resumeFrom.positions.length !== segments)
    throw new Error('The checkpoint does not match its number of segments');
  const positions: Checkpoint['positions'] = options.resumeFrom
    ? [...options.resumeFrom.positions]
    : Array.from({ length: segments }, () => 'start' as const);
  const pageSize = options.pageSize ?? 1000;
  const concurrency = options.concurrency ?? 4;
  const maxAttempts = options.maxAttempts ?? 8;
  const now = options.now ?? (() => new Date());
  const counts = emptyCounts();
  const failed: string[] = [];
  const checkpoint = (): Checkpoint => ({ segments, positions: [...positions] });

  /** Reads the stay consistently and splits it, again while it changes under us. */
  async function splitStay(encounterId: string): Promise<void> {
    const { pk } = keys.encounter(encounterId);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const items = await queryStay(client, tableName, pk);
      const split = splitTransaction(tableName, items, { ...MIGRATION_ACTOR, changeId: randomUUID(), at: now().toISOString() });
      if (!split) {
        counts.alreadySplit++;
        return;
      }
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: split.writes }));
        counts.migrated++;
        counts.partsWritten += split.partsWritten;
        counts.partsKept += split.partsKept;
        return;
      } catch (error) {
        if (failedConditions(error).length === 0 && !isTransactionConflict(error)) throw error;
        counts.conflictsRetried++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt) * Math.random()));
      }
    }
    counts.gaveUp++;
    failed.push(encounterId);
  }

  async function runSegment(segment: number): Promise<void> {
    let page = 0;
    while (positions[segment] !== 'done' && (options.maxPages === undefined || page < options.maxPages)) {
      const position = positions[segment]!;
      const out = await client.send(
        new ScanCommand({
          TableName: tableName,
          ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
          Limit: pageSize,
          FilterExpression: '#sk = :encounter',
          // The part fields come only so a stay already split is told apart without a second read.
          ProjectionExpression: ['#pk', ...FIELD_NAMES.map((_, i) => `#f${i}`)].join(', '),
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', ...Object.fromEntries(FIELD_NAMES.map((field, i) => [`#f${i}`, field])) },
          ExpressionAttributeValues: toItem({ ':encounter': keys.stayPrefix }),
          ...(position === 'start' ? {} : { ExclusiveStartKey: toItem(position) }),
        }),
      );
      page++;
      const records = (out.Items ?? []).map((item) => fromItem<Stored>(item));
      counts.scanned += records.length;
      const candidates: string[] = [];
      for (const record of records) {
        if (FIELD_NAMES.some((field) => record[field] !== undefined)) candidates.push(String(record.pk).slice('ENCOUNTER#'.length));
        else counts.alreadySplit++;
      }
      await inParallel(candidates, concurrency, splitStay);
      // Only once every stay of the page is done: a resume redoes at most this page, harmlessly.
      positions[segment] = out.LastEvaluatedKey ? fromItem(out.LastEvaluatedKey) : 'done';
      await options.onPage?.({ segment, page, counts: { ...counts }, checkpoint: checkpoint() });
    }
  }

  await Promise.all(Array.from({ length: segments }, (_, segment) => runSegment(segment)));
  return { counts, checkpoint: checkpoint(), complete: positions.every((position) => position === 'done'), failed };
}

/** The encounter record and its part records, consistently (one stay is a handful of items). */
async function queryStay(client: DynamoDBClient, tableName: string, pk: string): Promise<Stored[]> {
  const { items } = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :stay)',
    ExpressionAttributeValues: toItem({ ':pk': pk, ':stay': keys.stayPrefix }),
    ConsistentRead: true,
  });
  return items.map((item) => fromItem<Stored>(item));
}

async function inParallel<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
