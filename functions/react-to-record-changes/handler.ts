import middy from '@middy/core';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Encounter, Patient } from '../../shared/domain/encounter';
import type { Referral } from '../../shared/domain/referrals';
import type { CareTask } from '../../shared/domain/tasks';
import type { Transfer } from '../../shared/domain/transfers';
import type { Grievance } from '../../shared/domain/grievances';
import { requireEnv } from '../../shared/env';
import { logger } from '../../shared/observability/logger';
import { observed } from '../../shared/observability/middleware';
import { ports } from '../../shared/care/ports';
import { sfnClient } from '../../shared/store/clients';
import { actingAs } from '../../shared/store/change-stamp';
import { inOrder } from '../../shared/stream/in-order';
import { fromItem } from '../../shared/store/dynamo';
import { followEncounterChange } from './follow-adt-changes';
import { followDeath } from './follow-death';
import { resumeReferral } from './resume-referral';
import { resumeTransfer, startTransfer } from './follow-transfer';
import { resumeGrievance, startGrievance } from './follow-grievance';
import { resumeWorkflow } from './resume-workflow';
import { executionStatus } from '../../shared/store/workflow-status';
import { openOperatorTask } from '../../shared/workflow/operator-task';
import { startDischargePlanning } from './start-discharge-planning';
import { assignCareManager, releaseCareManager, rosterFromSiteConfig } from './assign-care-manager';
import { needsDischargePlanning } from '../../shared/domain/workflows';

type Stored<T> = T & { entityType?: string; taskToken?: string };

/**
 * The table's stream, dispatched by what changed. One consumer for the whole table keeps within
 * DynamoDB Streams' two readers per shard; each reaction lives in its own file beside this one.
 */
async function react(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  if (!image) return;
  const item = fromItem<Stored<Record<string, unknown>>>(image as Record<string, AttributeValue>);
  const stateMachineArn = requireEnv('DISCHARGE_PLANNING_STATE_MACHINE_ARN');
  const all = ports();
  const caseloadDeps = { ...all, roster: rosterFromSiteConfig };
  if (item.entityType === 'Encounter' && record.eventName === 'INSERT') {
    await startDischargePlanning(item as unknown as Encounter, { sfn: sfnClient(), stateMachineArn, now: all.now });
    await assignCareManager(item as unknown as Encounter, caseloadDeps);
  } else if (item.entityType === 'Encounter' && record.eventName === 'MODIFY' && record.dynamodb?.OldImage) {
    const before = fromItem<Encounter>(record.dynamodb.OldImage as Record<string, AttributeValue>);
    await releaseCareManager(before, item as unknown as Encounter, caseloadDeps);
    if (!needsDischargePlanning(before)) await assignCareManager(item as unknown as Encounter, caseloadDeps);
    await followEncounterChange(before, item as unknown as Encounter, {
      sfn: sfnClient(),
      tasks: all.tasks,
      encounters: all.encounters,
      referrals: all.referrals,
      transitionRecords: all.transitionRecords,
      stateMachineArn,
      followUpStateMachineArn: requireEnv('FOLLOW_UP_STATE_MACHINE_ARN'),
      now: all.now,
    });
  } else if (item.entityType === 'Patient' && item.deathEffects === 'pending') {
    await followDeath(item as unknown as Patient, {
      ...all,
      sfn: sfnClient(),
      followUpStateMachineArn: requireEnv('FOLLOW_UP_STATE_MACHINE_ARN'),
      now: all.now,
    });
  } else if (item.entityType === 'CareTask' && record.eventName === 'MODIFY') {
    const task = item as unknown as Stored<CareTask> & { executionArn?: string };
    await resumeWorkflow(task, task, {
      sfn: sfnClient(),
      tasks: all.tasks,
      executionStatus: (executionArn) => executionStatus(sfnClient(), executionArn),
      openOperatorTask: (request) => openOperatorTask(request, all),
    });
  } else if (item.entityType === 'Transfer' && record.eventName === 'INSERT') {
    await startTransfer(item as unknown as Transfer, { sfn: sfnClient(), stateMachineArn: requireEnv('TRANSFER_STATE_MACHINE_ARN'), now: all.now });
  } else if (item.entityType === 'Transfer' && record.eventName === 'MODIFY') {
    const transfer = item as unknown as Stored<Transfer>;
    await resumeTransfer(transfer, transfer.taskToken, { sfn: sfnClient(), transfers: all.transfers });
  } else if (item.entityType === 'Grievance' && record.eventName === 'INSERT') {
    await startGrievance(item as unknown as Grievance, { sfn: sfnClient(), stateMachineArn: requireEnv('GRIEVANCE_STATE_MACHINE_ARN'), now: all.now });
  } else if (item.entityType === 'Grievance' && record.eventName === 'MODIFY') {
    const grievance = item as unknown as Stored<Grievance>;
    await resumeGrievance(grievance, grievance.taskToken, { sfn: sfnClient(), grievances: all.grievances, now: all.now });
  } else if (item.entityType === 'Referral' && record.eventName === 'MODIFY') {
    const referral = item as unknown as Stored<Referral>;
    await resumeReferral(referral, referral.taskToken, { sfn: sfnClient(), referrals: all.referrals, now: all.now });
  }
}

/** Records are handled in order; the first failure and everything after it are retried. */
export function reactToRecordChanges(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  // What the workflows' own reactions write is the platform's doing, not the original caller's.
  return inOrder(event, (record) => actingAs({ who: 'react-to-record-changes', role: 'system', via: record.eventID ?? 'stream' }, () => react(record)), 'Reacting to a record change failed');
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
  .use(observed())
  .handler(reactToRecordChanges);
