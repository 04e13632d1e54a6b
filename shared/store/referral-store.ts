import {
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Recorder } from '../domain/access';
import type { Referral, ReferralStatus } from '../domain/referrals';
import { failedConditions, fromItem, isConditionFailure, queryByPrefix, settleResume, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

export interface StoredReferral {
  referral: Referral;
  taskToken?: string;
}

/**
 * Referrals under their encounter, each holding the task token of the workflow iteration waiting
 * for it (never returned by the API), and per stay one placement: the first acceptance, written
 * with it in one transaction, so two providers accepting at once cannot both win.
 */
export function referralStore(client: DynamoDBClient, tableName: string) {
  const toStored = (item: Record<string, unknown>): StoredReferral => {
    const taskToken = typeof item.taskToken === 'string' ? item.taskToken : undefined;
    return { referral: stripStorage<Referral>(item), ...(taskToken ? { taskToken } : {}) };
  };

  async function get(encounterId: string, referralId: string): Promise<StoredReferral | undefined> {
    const out = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.referral(encounterId, referralId)), ConsistentRead: true }),
    );
    return out.Item ? toStored(fromItem(out.Item)) : undefined;
  }

  async function list(encounterId: string): Promise<StoredReferral[]> {
    return (await queryByPrefix<Record<string, unknown>>(client, tableName, keys.encounter(encounterId).pk, 'REFERRAL#')).map(toStored);
  }

  /** Sends a referral, or (a retried state) gives the same one its new token while it is still unanswered. */
  async function send(referral: Referral, taskToken: string): Promise<StoredReferral> {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({ ...keys.referral(referral.encounterId, referral.referralId), entityType: 'Referral', ...referral, taskToken }),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :sent',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({ ':sent': 'sent' }),
        }),
      );
      return { referral, taskToken };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await get(referral.encounterId, referral.referralId))!;
    }
  }

  /** A provider's accept: only while still sent, and only if no other provider has accepted. */
  async function accept(referral: Referral, answer: { answeredBy: string; answeredAt: string; recorder: Recorder }): Promise<void> {
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: toItem(keys.referral(referral.encounterId, referral.referralId)),
                UpdateExpression: 'SET #status = :accepted, answeredAt = :at, answeredBy = :by, recorder = :recorder, #resume = :pending',
                ConditionExpression: '#status = :sent',
                ExpressionAttributeNames: { '#status': 'status', '#resume': 'resume' },
                ExpressionAttributeValues: toItem({
                  ':accepted': 'accepted',
                  ':sent': 'sent',
                  ':at': answer.answeredAt,
                  ':by': answer.answeredBy,
                  ':recorder': answer.recorder,
                  ':pending': 'pending',
                }),
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: toItem({
                  ...keys.placement(referral.encounterId),
                  entityType: 'Placement',
                  encounterId: referral.encounterId,
                  referralId: referral.referralId,
                  providerId: referral.providerId,
                  acceptedAt: answer.answeredAt,
                }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.includes(1)) throw new ConflictError('Another provider has already accepted this referral');
      if (failed.includes(0)) throw new ConflictError(`The referral is no longer open`);
      throw error;
    }
  }

  /** Closes a referral still sent: declined by the provider, withdrawn or timed out by Carepath. */
  async function close(
    referral: Referral,
    status: Extract<ReferralStatus, 'declined' | 'withdrawn' | 'timed-out'>,
    detail: { reason: string; at: string; answeredBy?: string; recorder?: Recorder },
    resumeWorkflow: boolean,
  ): Promise<boolean> {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: toItem(keys.referral(referral.encounterId, referral.referralId)),
          UpdateExpression: `SET #status = :status, answeredAt = :at, reason = :reason${detail.answeredBy ? ', answeredBy = :by' : ''}${detail.recorder ? ', recorder = :recorder' : ''}${resumeWorkflow ? ', #resume = :pending' : ''}`,
          ConditionExpression: '#status = :sent',
          ExpressionAttributeNames: { '#status': 'status', ...(resumeWorkflow ? { '#resume': 'resume' } : {}) },
          ExpressionAttributeValues: toItem({
            ':status': status,
            ':sent': 'sent',
            ':at': detail.at,
            ':reason': detail.reason,
            ...(detail.answeredBy ? { ':by': detail.answeredBy } : {}),
            ...(detail.recorder ? { ':recorder': detail.recorder } : {}),
            ...(resumeWorkflow ? { ':pending': 'pending' } : {}),
          }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * The physician ordered another kind of post-acute care than the one placed: the accepted
   * referral is withdrawn (with the reason, for the provider) and the stay's placement released,
   * so the new path's referrals can be accepted. Nothing to do once done (a retried step).
   */
  async function withdrawPlacement(encounterId: string, detail: { reason: string; at: string }): Promise<boolean> {
    const accepted = (await list(encounterId)).find((r) => r.referral.status === 'accepted')?.referral;
    if (!accepted) return false;
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: toItem(keys.referral(encounterId, accepted.referralId)),
                UpdateExpression: 'SET #status = :withdrawn, reason = :reason, withdrawnAt = :at',
                ConditionExpression: '#status = :accepted',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: toItem({
                  ':withdrawn': 'withdrawn',
                  ':accepted': 'accepted',
                  ':reason': detail.reason,
                  ':at': detail.at,
                }),
              },
            },
            {
              Delete: {
                TableName: tableName,
                Key: toItem(keys.placement(encounterId)),
                ConditionExpression: 'attribute_not_exists(pk) OR referralId = :referral',
                ExpressionAttributeValues: toItem({ ':referral': accepted.referralId }),
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (failedConditions(error).length > 0) return false;
      throw error;
    }
  }

  async function markResume(encounterId: string, referralId: string, resume: 'delivered' | 'not-waiting'): Promise<void> {
    await settleResume(client, tableName, keys.referral(encounterId, referralId), resume);
  }

  async function mustGet(encounterId: string, referralId: string): Promise<StoredReferral> {
    const found = await get(encounterId, referralId);
    if (!found) throw new NotFoundError(`Referral ${referralId} not found`);
    return found;
  }

  return { get, mustGet, list, send, accept, close, withdrawPlacement, markResume };
}

export type ReferralStore = ReturnType<typeof referralStore>;
