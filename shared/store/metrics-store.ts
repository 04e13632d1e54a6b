import { GetItemCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { bucketOfKey, difference, sumTallies, type Contribution, type Tally } from '../domain/metrics';
import { fromItem, queryAll, toItem, transactWithRetry } from './dynamo';
import { keys } from './keys';

class ContributionMovedError extends Error {
  override name = 'ContributionMovedError';
}

/**
 * The metric counters (per facility, unit and local day) and, beside each counted record, the
 * contribution it was last counted with. Counting a record writes the difference to the counters
 * and the new contribution to its marker in one transaction, conditional on the marker's revision:
 * a redelivered change finds nothing left to add, and two deliveries cannot both apply.
 */
export function metricsStore(client: DynamoDBClient, tableName: string) {
  async function counted(record: { pk: string; sk: string }): Promise<{ contribution: Contribution; revision: number }> {
    const out = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.metricsCounted(record)), ConsistentRead: true }),
    );
    return out.Item ? fromItem<{ contribution: Contribution; revision: number }>(out.Item) : { contribution: {}, revision: 0 };
  }

  function addTo(key: string, tally: Tally): TransactWriteItem {
    const bucket = bucketOfKey(key);
    const entries = Object.entries(tally);
    return {
      Update: {
        TableName: tableName,
        Key: toItem(keys.metricsDay(bucket.facilityId, bucket.unit, bucket.day)),
        UpdateExpression: `SET #type = :type, #day = :day ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: {
          '#type': 'entityType',
          '#day': 'day',
          ...Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
        },
        ExpressionAttributeValues: toItem({
          ':type': 'MetricsDay',
          ':day': bucket.day,
          ...Object.fromEntries(entries.map(([, by], i) => [`:c${i}`, by])),
        }),
      },
    };
  }

  /** Brings the counters to `next` for this record; returns the buckets changed (none for a repeat). */
  async function count(record: { pk: string; sk: string }, next: Contribution): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      const last = await counted(record);
      const delta = difference(next, last.contribution);
      if (Object.keys(delta).length === 0) return 0;
      const marker: TransactWriteItem = {
        Put: {
          TableName: tableName,
          Item: toItem({
            ...keys.metricsCounted(record),
            entityType: 'MetricsContribution',
            contribution: next,
            revision: last.revision + 1,
          }),
          ConditionExpression: last.revision === 0 ? 'attribute_not_exists(pk)' : 'revision = :revision',
          ...(last.revision === 0 ? {} : { ExpressionAttributeValues: toItem({ ':revision': last.revision }) }),
        },
      };
      try {
        await transactWithRetry(
          client,
          [marker, ...Object.entries(delta).map(([key, tally]) => addTo(key, tally))],
          () => new ContributionMovedError(),
        );
        return Object.keys(delta).length;
      } catch (error) {
        // Someone counted this record meanwhile: read what they counted and go from there.
        if (!(error instanceof ContributionMovedError) || attempt >= 5) throw error;
      }
    }
  }

  /** The summed counters of one unit (or ALL_UNITS) over [from, to], local dates inclusive. */
  async function totals(facilityId: string, unit: string, from: string, to: string): Promise<Tally> {
    const first = keys.metricsDay(facilityId, unit, from);
    const { items } = await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: toItem({ ':pk': first.pk, ':from': first.sk, ':to': keys.metricsDay(facilityId, unit, to).sk }),
    });
    const tallies = items.map((item) => {
      const { pk: _pk, sk: _sk, entityType: _type, day: _day, ...counters } = fromItem<Record<string, number | string>>(item);
      return counters as Tally;
    });
    return sumTallies(tallies);
  }

  return { count, totals };
}
