import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CareTeamMember, TeamMessage } from '../domain/care-team';
import { queryByPrefix, toItem } from './dynamo';
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
        Item: toItem({
          ...keys.teamMessage(message.encounterId, message.sentAt, message.messageId),
          entityType: 'TeamMessage',
          ...message,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async function messages(encounterId: string): Promise<TeamMessage[]> {
    return list<TeamMessage>(encounterId, 'MESSAGE#');
  }

  async function list<T>(encounterId: string, prefix: string): Promise<T[]> {
    return (await queryByPrefix<Record<string, unknown>>(client, tableName, keys.encounter(encounterId).pk, prefix)).map((item) =>
      stripStorage<T>(item),
    );
  }

  return { addMember, members, post, messages };
}

export type CareTeamStore = ReturnType<typeof careTeamStore>;
