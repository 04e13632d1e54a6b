import { GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Recorder } from '../domain/access';
import { ConflictError, NotFoundError } from '../domain/errors';
import { escalatesWhenOverdue, escalationIdOf, type CareTask, type TaskOutcome, type TaskResume, type TaskStatus } from '../domain/tasks';
import { fromItem, idsBelowInShards, isConditionFailure, queryAll, settleResume, toItem, type Item } from './dynamo';
import { AWAITING_PLAN_SHARDS, GSI1, GSI2, keys, shardOf, stripStorage, tasksDueKey } from './keys';

export interface StoredTask {
  task: CareTask;
  /** Step Functions task token; only for tasks that resume a workflow. Never leaves the backend. */
  taskToken?: string;
  /**
   * The execution waiting on the token, so a completion can first ask whether it still runs.
   * Absent on tasks opened before it was kept.
   */
  executionArn?: string;
}

function toStored(item: Item): StoredTask {
  const { executionArn, ...raw } = fromItem<Record<string, unknown>>(item);
  const taskToken = typeof raw.taskToken === 'string' ? raw.taskToken : undefined;
  return {
    task: stripStorage<CareTask>(raw),
    ...(taskToken ? { taskToken } : {}),
    ...(typeof executionArn === 'string' ? { executionArn } : {}),
  };
}

export function taskStore(client: DynamoDBClient, tableName: string) {
  function indexKeys(task: CareTask) {
    const dueIndex = escalatesWhenOverdue(task) && !task.escalatedAt;
    return {
      gsi1pk: keys.tasksOfEncounter(task.encounterId),
      gsi1sk: keys.taskSort(task.status, task.createdAt, task.taskId),
      // Only open tasks that can still be escalated are in the due-time index (the escalation sweep reads it).
      ...(dueIndex ? { gsi2pk: tasksDueKey(shardOf(task.taskId)), gsi2sk: `${task.dueAt}#${task.taskId}` } : {}),
    };
  }

  /**
   * Opens a task, or refreshes the token of the same still-open task. Workflow steps may be
   * retried; the task id is derived from the execution, so a retry never opens a second task.
   */
  async function open(task: CareTask, taskToken?: string, executionArn?: string): Promise<CareTask> {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({ ...keys.task(task.taskId), entityType: 'CareTask', ...indexKeys(task), ...task, taskToken, executionArn }),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({ ':open': 'open' }),
        }),
      );
      return task;
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Task ${task.taskId} is already closed`);
      throw error;
    }
  }

  /** The write that opens a task unless it exists; alone (openOnce) or inside a transaction. */
  function openOnceWrite(task: CareTask) {
    return {
      TableName: tableName,
      Item: toItem({ ...keys.task(task.taskId), entityType: 'CareTask', ...indexKeys(task), ...task }),
      ConditionExpression: 'attribute_not_exists(pk)',
    };
  }

  /** Opens a task unless it exists (open or closed): for checks that run again and again. */
  async function openOnce(task: CareTask): Promise<boolean> {
    try {
      await client.send(new PutItemCommand(openOnceWrite(task)));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async function get(taskId: string): Promise<StoredTask | undefined> {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.task(taskId)), ConsistentRead: true }));
    return out.Item ? toStored(out.Item) : undefined;
  }

  async function mustGet(taskId: string): Promise<StoredTask> {
    const stored = await get(taskId);
    if (!stored) throw new NotFoundError(`Task ${taskId} not found`);
    return stored;
  }

  async function listByEncounter(encounterId: string, status?: TaskStatus): Promise<CareTask[]> {
    const { items } = await queryAll(client, {
      TableName: tableName,
      IndexName: GSI1,
      KeyConditionExpression: status ? 'gsi1pk = :pk AND begins_with(gsi1sk, :status)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: toItem(
        status ? { ':pk': keys.tasksOfEncounter(encounterId), ':status': `${status}#` } : { ':pk': keys.tasksOfEncounter(encounterId) },
      ),
    });
    return items.map((item) => toStored(item).task);
  }

  /**
   * open → completed, only if still open: of two people completing at once, exactly one wins.
   * A task that resumes a workflow is left `resume: pending`; the table stream then delivers the
   * outcome to Step Functions (see shared/care/reactions/resume-workflow.ts).
   */
  async function complete(
    task: CareTask,
    completion: { outcome: TaskOutcome; data?: Record<string, unknown>; completedAt: string; completedBy?: Recorder },
  ): Promise<CareTask> {
    const completed: CareTask = {
      ...task,
      status: 'completed',
      ...completion,
      data: completion.data ?? {},
      ...(task.resumesWorkflow ? { resume: 'pending' as const } : {}),
    };
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: toItem(keys.task(task.taskId)),
          UpdateExpression: `SET #status = :completed, outcome = :outcome, completedAt = :completedAt, #data = :data, gsi1sk = :sort${completion.completedBy ? ', completedBy = :completedBy' : ''}${
            task.resumesWorkflow ? ', #resume = :pending' : ''
          } REMOVE gsi2pk, gsi2sk`,
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status', '#data': 'data', ...(task.resumesWorkflow ? { '#resume': 'resume' } : {}) },
          ExpressionAttributeValues: toItem({
            ':completed': 'completed',
            ':open': 'open',
            ':outcome': completion.outcome,
            ':completedAt': completion.completedAt,
            ...(completion.completedBy ? { ':completedBy': completion.completedBy } : {}),
            ':data': completed.data,
            ':sort': indexKeys(completed).gsi1sk,
            ...(task.resumesWorkflow ? { ':pending': 'pending' } : {}),
          }),
        }),
      );
      return completed;
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Task ${task.taskId} is no longer open`);
      throw error;
    }
  }

  /** Records what became of a pending resume; a no-op if it was already recorded. */
  async function markResume(taskId: string, resume: Exclude<TaskResume, 'pending'>): Promise<void> {
    await settleResume(client, tableName, keys.task(taskId), resume);
  }

  /**
   * Closes a task nobody needs any more; a task someone completed meanwhile stays completed. With
   * `withEscalation`, its open escalation goes too: for when the reason for the task is gone (a
   * cancelled discharge), not when its time ran out (a missed deadline stays the lead care
   * manager's to follow up).
   */
  async function cancel(task: CareTask, reason: string, cancelledAt: string, options: { withEscalation?: boolean } = {}): Promise<void> {
    await cancelIfOpen(task, reason, cancelledAt);
    if (!options.withEscalation || task.type === 'escalation') return;
    const escalation = await get(escalationIdOf(task.taskId));
    if (escalation?.task.status === 'open') await cancelIfOpen(escalation.task, `the overdue task was cancelled: ${reason}`, cancelledAt);
  }

  async function cancelIfOpen(task: CareTask, reason: string, cancelledAt: string): Promise<void> {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: toItem(keys.task(task.taskId)),
          UpdateExpression: 'SET #status = :cancelled, cancelReason = :reason, cancelledAt = :at, gsi1sk = :sort REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({
            ':cancelled': 'cancelled',
            ':open': 'open',
            ':reason': reason,
            ':at': cancelledAt,
            ':sort': indexKeys({ ...task, status: 'cancelled' }).gsi1sk,
          }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Ids of open tasks due before `before` and not yet escalated, from the sparse due-time index. */
  async function listOverdue(before: string): Promise<string[]> {
    return idsBelowInShards(client, {
      tableName,
      indexName: GSI2,
      shards: AWAITING_PLAN_SHARDS,
      partition: tasksDueKey,
      before,
      pkPrefix: 'TASK#',
    });
  }

  /** Hands an open task to another person (a reassigned caseload); false when it closed meanwhile. */
  async function reassign(taskId: string, assigneeId: string): Promise<boolean> {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: toItem(keys.task(taskId)),
          UpdateExpression: 'SET assigneeId = :to',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({ ':to': assigneeId, ':open': 'open' }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Marks an open task escalated (and out of the due-time index); false when it closed meanwhile or was escalated already. */
  async function markEscalated(taskId: string, at: string): Promise<boolean> {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: toItem(keys.task(taskId)),
          UpdateExpression: 'SET escalatedAt = :at REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#status = :open AND attribute_not_exists(escalatedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({ ':at': at, ':open': 'open' }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  return {
    open,
    openOnce,
    openOnceWrite,
    get,
    mustGet,
    listByEncounter,
    complete,
    markResume,
    cancel,
    listOverdue,
    markEscalated,
    reassign,
  };
}

export type TaskStore = ReturnType<typeof taskStore>;
