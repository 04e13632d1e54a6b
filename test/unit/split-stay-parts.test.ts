import { describe, expect, it } from 'vitest';
import { TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { splitStayParts, splitTransaction } from '../../infra/migrations/split-stay-parts';
import { fromItem, toItem } from '../../shared/store/dynamo';
import { followingUpKey, keys, planningKey, shardOf } from '../../shared/store/keys';

const STAMP = { who: 'migration split-stay-parts', role: 'system', changeId: 'c-1', at: '2026-12-03T19:00:00.000Z' };
const ID = 'enc-3f9a';

/** A synthetic encounter item as stored before the split. */
const oldRecord = (over: Record<string, unknown> = {}) => ({
  ...keys.encounter(ID),
  entityType: 'Encounter',
  encounterId: ID,
  patientId: 'pat-7',
  facilityId: 'F2',
  unit: '6N',
  class: 'observation',
  admissionType: 'emergency',
  admittedAt: '2026-09-14T22:10:00.000Z',
  status: 'discharged',
  version: 12,
  createdAt: '2026-09-14T22:10:01.000Z',
  updatedAt: '2026-09-20T08:00:00.000Z',
  ...over,
});

function decode(split: NonNullable<ReturnType<typeof splitTransaction>>) {
  const puts = split.writes.filter((write) => write.Put).map((write) => fromItem<Record<string, unknown>>(write.Put!.Item!));
  const update = split.writes.find((write) => write.Update)!.Update!;
  const names = update.ExpressionAttributeNames!;
  const values = fromItem<Record<string, unknown>>(update.ExpressionAttributeValues!);
  const [sets = '', removes = ''] = update.UpdateExpression!.replace(/^SET /, '').split(' REMOVE ');
  return {
    puts,
    sets: Object.fromEntries(
      sets
        .split(', ')
        .map((a) => a.split(' = '))
        .map(([n, v]) => [names[n!], values[v!]]),
    ),
    removes: removes
      .split(', ')
      .map((n) => names[n]!)
      .sort(),
    condition: update.ConditionExpression,
    read: values[':read'],
  };
}

describe('splitTransaction (the migration of one stay)', () => {
  it('leaves a stay whose encounter record holds no part field alone', () => {
    expect(splitTransaction('t', [oldRecord()], STAMP)).toBeUndefined();
    expect(splitTransaction('t', [], STAMP)).toBeUndefined();
  });

  it('puts each part it holds at version 1, only if absent, moving the following-up index to the follow-up part', () => {
    const followUp = { status: 'open', attempts: [{ at: '2026-09-21T10:00:00.000Z', reached: false }] };
    const record = oldRecord({
      followUp,
      choiceList: { providers: [] },
      patientChoice: { providerId: 'SNF-9' },
      gsi2pk: followingUpKey(shardOf(ID)),
      gsi2sk: 'x',
    });
    const split = splitTransaction('t', [record], STAMP)!;
    const { puts, sets, removes, condition, read } = decode(split);
    expect(split).toMatchObject({ partsWritten: 2, partsKept: 0 });
    expect(split.writes.filter((w) => w.Put).every((w) => w.Put!.ConditionExpression === 'attribute_not_exists(pk)')).toBe(true);
    expect(puts).toEqual([
      {
        ...keys.stayPart(ID, 'patientChoice'),
        choiceList: { providers: [] },
        patientChoice: { providerId: 'SNF-9' },
        entityType: 'PatientChoice',
        encounterId: ID,
        part: 'patientChoice',
        version: 1,
        updatedAt: record.updatedAt,
        lastChange: STAMP,
      },
      {
        ...keys.stayPart(ID, 'followUp'),
        followUp,
        gsi2pk: followingUpKey(shardOf(ID)),
        gsi2sk: `${record.admittedAt}#${ID}`,
        entityType: 'FollowUp',
        encounterId: ID,
        part: 'followUp',
        version: 1,
        updatedAt: record.updatedAt,
        lastChange: STAMP,
      },
    ]);
    // The encounter keeps its version (no bump) and loses the parts and the following-up entry.
    expect(removes).toEqual(['choiceList', 'followUp', 'gsi2pk', 'gsi2sk', 'patientChoice']);
    expect(sets).toEqual({ lastChange: STAMP, gsi1pk: keys.encountersOfPatient('pat-7'), gsi1sk: `${record.admittedAt}#${ID}` });
    expect({ condition, read }).toEqual({ condition: '#version = :read', read: 12 });
  });

  it('keeps a part record already written (it wins) and only removes the encounter copy; keeps a planning stay in its partition', () => {
    const record = oldRecord({
      status: 'awaiting-discharge-order',
      dischargePlan: { path: 'home', services: [], decidedAt: 'd' },
      goalsOfCare: { codeStatus: 'full-code' },
      riskOverride: { tier: 'low', reason: 'r', at: 'a' },
    });
    const written = {
      ...keys.stayPart(ID, 'goalsOfCare'),
      entityType: 'GoalsOfCare',
      encounterId: ID,
      part: 'goalsOfCare',
      version: 4,
      goalsOfCare: { codeStatus: 'dnr' },
    };
    const split = splitTransaction('t', [record, written], STAMP)!;
    const { puts, sets, removes } = decode(split);
    expect(split).toMatchObject({ partsWritten: 1, partsKept: 1 });
    expect(puts.map((put) => put.sk)).toEqual(['ENCOUNTER#risk']);
    expect(removes).toEqual(['goalsOfCare', 'riskOverride']);
    expect(sets).toMatchObject({ gsi2pk: planningKey(shardOf(ID)), gsi2sk: `${record.admittedAt}#${ID}` });
  });
});

describe('splitStayParts, when a stay changes under it', () => {
  /** A table of one old-shape stay whose transactions are refused `refusals` times (a concurrent edit each time). */
  function racedTable(refusals: number) {
    let record: Record<string, unknown> = oldRecord({ needsAssessment: { notes: 'n' } });
    const sent: string[] = [];
    const client = {
      send: async (command: { constructor: { name: string } }) => {
        const name = command.constructor.name;
        sent.push(name);
        if (name === 'ScanCommand') return { Items: [toItem(record)], ScannedCount: 1 };
        if (name === 'QueryCommand') return { Items: [toItem(record)] };
        if (name === 'TransactWriteItemsCommand') {
          if (sent.filter((n) => n === name).length <= refusals) {
            record = { ...record, version: Number(record.version) + 1 };
            throw new TransactionCanceledException({
              message: 'cancelled',
              $metadata: {},
              CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
            });
          }
          return {};
        }
        throw new Error(`unexpected ${name}`);
      },
    } as unknown as DynamoDBClient;
    return { client, sent };
  }

  it('reads the stay again and retries, counting the conflict', async () => {
    const { client, sent } = racedTable(2);
    const result = await splitStayParts({ client, tableName: 't' });
    expect(result.counts).toMatchObject({ scanned: 1, migrated: 1, conflictsRetried: 2, gaveUp: 0 });
    expect(sent.filter((n) => n === 'QueryCommand')).toHaveLength(3);
    expect(result).toMatchObject({ complete: true, failed: [] });
  });

  it('gives up on a stay still changing after every attempt, naming it, and goes on', async () => {
    const { client } = racedTable(10);
    const result = await splitStayParts({ client, tableName: 't', maxAttempts: 3 });
    expect(result.counts).toMatchObject({ migrated: 0, conflictsRetried: 3, gaveUp: 1 });
    expect(result).toMatchObject({ complete: true, failed: [ID] });
  });
});
