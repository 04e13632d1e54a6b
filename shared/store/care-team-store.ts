import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CareTeamMember, TeamMessage } from '../domain/care-team';
import { fromItem, queryAll, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

/** Members and the message thread live under their encounter: one query each. */
export function careTeamStore(client: DynamoDBClient, tableName: string) {
  async function addMember(member: CareTeamMember): Promise<void> {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({ ...keys.careTeamMember(member.encounterId, member.memberId), entityType: 'CareTeamMember', ...member }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async function members(encounterId: string): Promise<CareTeamMember[]> {
    return list<CareTeamMember>(encounterId, 'CARETEAM#');
  }

  /** Messages are append-only: a new item each, keyed by time. */
  async function post(message: TeamMessage): Promise<void> {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({ ...keys.teamMessage(message.encounterId, message.sentAt, message.messageId), entityType: 'TeamMessage', ...message }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async function messages(encounterId: string): Promise<TeamMessage[]> {
    return list<TeamMessage>(encounterId, 'MESSAGE#');
  }

  async function list<T>(encounterId: string, prefix: string): Promise<T[]> {
    const { items } = await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: toItem({ ':pk': keys.encounter(encounterId).pk, ':prefix': prefix }),
      ConsistentRead: true,
    });
    return items.map((item) => stripStorage<T>(fromItem(item)));
  }

  return { addMember, members, post, messages };
}

export type CareTeamStore = ReturnType<typeof careTeamStore>;
