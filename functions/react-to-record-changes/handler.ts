import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Encounter, Patient } from '../../shared/domain/encounter';
import type { Referral } from '../../shared/domain/referrals';
import type { CareTask } from '../../shared/domain/tasks';
import type { Transfer } from '../../shared/domain/transfers';
import type { Grievance } from '../../shared/domain/grievances';
import { stateMachineArn as stateMachineArnOf } from '../../shared/env';
import { reactionFor, type ReactionName } from '../../shared/stream/reactions';
import { imagesOf } from '../../shared/stream/images';
import { observed } from '../../shared/observability/middleware';
import { ports, type Ports } from '../../shared/care/ports';
import { sfnClient } from '../../shared/store/clients';
import { actingAs } from '../../shared/store/change-stamp';
import { inOrder } from '../../shared/stream/in-order';
import { followEncounterChange } from '../../shared/care/reactions/follow-adt-changes';
import { followDeath } from '../../shared/care/reactions/follow-death';
import { resumeReferral } from '../../shared/care/reactions/resume-referral';
import { resumeTransfer, startTransfer } from '../../shared/care/reactions/follow-transfer';
import { resumeGrievance, startGrievance } from '../../shared/care/reactions/follow-grievance';
import { resumeWorkflow } from '../../shared/care/reactions/resume-workflow';
import { executionStatus } from '../../shared/store/workflow-status';
import { openOperatorTask } from '../../shared/care/operations/operator-task';
import { startDischargePlanning } from '../../shared/care/reactions/start-discharge-planning';
import { assignCareManager, releaseCareManager, rosterFromSiteConfig } from '../../shared/care/reactions/assign-care-manager';
import { needsDischargePlanning } from '../../shared/domain/workflows';

type Stored<T> = T & { entityType?: string; taskToken?: string };
type Change = { item: Stored<Record<string, unknown>>; oldItem?: Record<string, unknown> };

/**
 * Each reaction of the table's stream (shared/stream/reactions.ts names them and generates the
 * stack's filters), beside what it calls; each reaction's code lives in shared/care/reactions. One
 * consumer for the whole table keeps within DynamoDB Streams' two readers per shard.
 */
function reactions(all: Ports): Record<ReactionName, (change: Change) => Promise<void>> {
  const stateMachineArn = stateMachineArnOf('discharge-planning');
  const caseloadDeps = { ...all, roster: rosterFromSiteConfig };
  return {
    stayAdmitted: async ({ item }) => {
      await startDischargePlanning(item as unknown as Encounter, { sfn: sfnClient(), stateMachineArn, now: all.now });
      await assignCareManager(item as unknown as Encounter, caseloadDeps);
    },
    stayChanged: async ({ item, oldItem }) => {
      const before = oldItem as unknown as Encounter;
      await releaseCareManager(before, item as unknown as Encounter, caseloadDeps);
      if (!needsDischargePlanning(before)) await assignCareManager(item as unknown as Encounter, caseloadDeps);
      await followEncounterChange(before, item as unknown as Encounter, {
        sfn: sfnClient(),
        tasks: all.tasks,
        encounters: all.encounters,
        referrals: all.referrals,
        transitionRecords: all.transitionRecords,
        stateMachineArn,
        followUpStateMachineArn: stateMachineArnOf('post-discharge-follow-up'),
        now: all.now,
      });
    },
    deathRecorded: ({ item }) =>
      followDeath(item as unknown as Patient, {
        ...all,
        sfn: sfnClient(),
        followUpStateMachineArn: stateMachineArnOf('post-discharge-follow-up'),
        now: all.now,
      }),
    taskAnswered: ({ item }) => {
      const task = item as unknown as Stored<CareTask> & { executionArn?: string };
      return resumeWorkflow(task, task, {
        sfn: sfnClient(),
        tasks: all.tasks,
        executionStatus: (executionArn) => executionStatus(sfnClient(), executionArn),
        openOperatorTask: (request) => openOperatorTask(request, all),
      });
    },
    referralAnswered: ({ item }) =>
      resumeReferral(item as unknown as Stored<Referral>, item.taskToken, { sfn: sfnClient(), referrals: all.referrals, now: all.now }),
    transferRequested: ({ item }) =>
      startTransfer(item as unknown as Transfer, { sfn: sfnClient(), stateMachineArn: stateMachineArnOf('transfer'), now: all.now }),
    transferAnswered: ({ item }) =>
      resumeTransfer(item as unknown as Stored<Transfer>, item.taskToken, { sfn: sfnClient(), transfers: all.transfers }),
    grievanceFiled: ({ item }) =>
      startGrievance(item as unknown as Grievance, { sfn: sfnClient(), stateMachineArn: stateMachineArnOf('grievance'), now: all.now }),
    grievanceAnswered: ({ item }) =>
      resumeGrievance(item as unknown as Stored<Grievance>, item.taskToken, { sfn: sfnClient(), grievances: all.grievances, now: all.now }),
  };
}

/** One stored change, dispatched by the reactions table. */
async function react(record: DynamoDBRecord): Promise<void> {
  const { oldItem, newItem } = imagesOf<Stored<Record<string, unknown>>>(record);
  const name = reactionFor(record.eventName, newItem, oldItem !== undefined);
  if (!name || !newItem) return;
  await reactions(ports())[name]({ item: newItem, ...(oldItem ? { oldItem } : {}) });
}

/** Records are handled in order; the first failure and everything after it are retried. */
export function reactToRecordChanges(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  // What the workflows' own reactions write is the platform's doing, not the original caller's.
  return inOrder(
    event,
    (record) => actingAs({ who: 'react-to-record-changes', role: 'system', via: record.eventID ?? 'stream' }, () => react(record)),
    'Reacting to a record change failed',
  );
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>().use(observed()).handler(reactToRecordChanges);
