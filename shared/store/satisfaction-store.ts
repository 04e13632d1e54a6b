import { TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Encounter } from '../domain/encounter';
import { ConflictError } from '../domain/errors';
import { isTopBox, reportingMonth, SURVEY_ITEM_IDS, type SatisfactionSurvey, type SurveyItem } from '../domain/satisfaction';
import { failedConditions, queryAll, toItem, fromItem } from './dynamo';
import { versionedUpdate } from './encounter-store';
import { keys } from './keys';

const counter = (kind: 'n' | 'top', item: SurveyItem) => `${kind}_${item.replace(/-/g, '_')}`;

/**
 * Satisfaction answers and the per-unit, per-month top-box counts they feed, written in one
 * transaction: the counts are kept as answers arrive (no scan per report) and can never count
 * an answer twice or miss one.
 */
export function satisfactionStore(client: DynamoDBClient, tableName: string) {
  async function recordAnswers(encounter: Encounter, answered: SatisfactionSurvey, now: Date): Promise<Encounter> {
    const { next, updates } = versionedUpdate(tableName, encounter, { fields: { satisfactionSurvey: answered } }, now);
    const answers = Object.entries(answered.answers ?? {}) as Array<[SurveyItem, number]>;
    const names: Record<string, string> = {};
    const values: Record<string, number> = { ':one': 1 };
    const adds = answers.flatMap(([item, value], i) => {
      names[`#n${i}`] = counter('n', item);
      const add = [`#n${i} :one`];
      if (isTopBox(item, value)) {
        names[`#t${i}`] = counter('top', item);
        add.push(`#t${i} :one`);
      }
      return add;
    });
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            ...updates.map((Update) => ({ Update })),
            {
              Update: {
                TableName: tableName,
                Key: toItem(keys.satisfaction(encounter.facilityId, encounter.unit, reportingMonth(encounter.discharge!.dischargedAt))),
                UpdateExpression: `SET #entityType = :type, #unit = :unit ADD ${adds.join(', ')}`,
                ExpressionAttributeNames: { ...names, '#entityType': 'entityType', '#unit': 'unit' },
                ExpressionAttributeValues: toItem({ ...values, ':type': 'SatisfactionCounts', ':unit': encounter.unit }),
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (failedConditions(error).length) throw new ConflictError(`Encounter ${encounter.encounterId} was changed meanwhile`);
      throw error;
    }
    return next;
  }

  /** The counts per unit and month in [fromMonth, toMonth]; every unit when none is named. */
  async function counts(facilityId: string, unit: string | undefined, fromMonth: string, toMonth: string) {
    const prefix = unit ? `SATISFACTION#${encodeURIComponent(unit)}#` : 'SATISFACTION#';
    const { items } = await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: toItem({ ':pk': `FACILITY#${encodeURIComponent(facilityId)}`, ':prefix': prefix }),
    });
    return items
      .map((item) => fromItem<Record<string, unknown>>(item))
      .filter((item) => {
        const month = String(item.sk).slice(-7);
        return month >= fromMonth && month <= toMonth;
      })
      .map((item) => ({
        responses: Object.fromEntries(SURVEY_ITEM_IDS.map((id) => [id, Number(item[counter('n', id)] ?? 0)])) as Partial<
          Record<SurveyItem, number>
        >,
        topBox: Object.fromEntries(SURVEY_ITEM_IDS.map((id) => [id, Number(item[counter('top', id)] ?? 0)])) as Partial<
          Record<SurveyItem, number>
        >,
      }));
  }

  return { recordAnswers, counts };
}
