import type { Encounter } from './encounter';
import type { CareTask } from './tasks';

/**
 * Whether a workflow execution can still take an answer, and what to tell people when it cannot
 * (issue 17 item 7). A task completion, or a stay whose status says planning goes on, is only
 * worth something while its execution runs: otherwise nobody would ever act on it.
 */

/**
 * Step Functions' execution statuses, plus NOT_FOUND for ExecutionDoesNotExist (closed
 * executions are kept 90 days; a lost local stack forgets them).
 */
export type ExecutionStatusName =
  | 'RUNNING'
  | 'PENDING_REDRIVE'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'NOT_FOUND'
  | (string & {});

/** RUNNING, or about to run again (a redrive under way): a task token waiting in it will be honoured. */
export function canStillAnswer(status: ExecutionStatusName): boolean {
  return status === 'RUNNING' || status === 'PENDING_REDRIVE';
}

const STATUS_WORDS: Record<string, string> = {
  SUCCEEDED: 'it ended (SUCCEEDED)',
  FAILED: 'it failed (FAILED)',
  TIMED_OUT: 'it timed out (TIMED_OUT)',
  ABORTED: 'it was stopped (ABORTED)',
  NOT_FOUND: 'Step Functions no longer knows it (NOT_FOUND)',
};
const statusWords = (status: string) => STATUS_WORDS[status] ?? `its status is ${status}`;

/** The 409's message: what the person sees when their completion cannot resume anything. */
export function notRunningMessage(status: ExecutionStatusName): string {
  return `The workflow waiting for this task is no longer running (${status}): the task stays open and nothing was recorded; the operators have a task to redrive or restart it`;
}

/**
 * The operator task for one task that no execution waits for any more: keyed by the task's id
 * (the `state`), so a completion retried any number of times, and the stream's late discovery
 * of the same task, open one operator task between them.
 */
export function orphanedTaskAttention(task: Pick<CareTask, 'taskId' | 'type'>, status: ExecutionStatusName, completionRecorded: boolean) {
  return {
    state: `Orphaned ${task.type} task ${task.taskId}`,
    reason: completionRecorded
      ? `A ${task.type} task was completed, but its workflow was no longer waiting: ${statusWords(status)}. Redrive or restart the workflow; the completion is kept on the task.`
      : `A ${task.type} task was completed, but its workflow is not running: ${statusWords(status)}. The task is still open; redrive or restart the workflow, then the task can be completed.`,
  };
}

/** The workflows a stay's own status says must be running: planning while in hospital, the TCM follow-up after. */
export type StayWorkflow = 'discharge-planning' | 'post-discharge-follow-up';

/** A stay whose status says discharge planning is under way (the execution should be RUNNING). */
export function planningShouldRun(encounter: Pick<Encounter, 'class' | 'status'>): boolean {
  return (encounter.class === 'inpatient' || encounter.class === 'observation') && !['discharged', 'cancelled'].includes(encounter.status);
}

/** A discharged stay whose TCM follow-up is still open (the follow-up execution closes, cancels or stops it). */
export function followUpShouldRun(encounter: Pick<Encounter, 'status' | 'followUp'>): boolean {
  return encounter.status === 'discharged' && encounter.followUp?.status === 'open';
}

/** Which workflow this stay's status says is running now, if any. */
export function workflowThatShouldRun(encounter: Pick<Encounter, 'class' | 'status' | 'followUp'>): StayWorkflow | undefined {
  if (planningShouldRun(encounter)) return 'discharge-planning';
  if (followUpShouldRun(encounter)) return 'post-discharge-follow-up';
  return undefined;
}

const WORKFLOW_WORDS: Record<StayWorkflow, string> = {
  'discharge-planning': 'discharge-planning workflow',
  'post-discharge-follow-up': 'post-discharge follow-up (TCM) workflow',
};

/** The operator task of a stay whose status says a workflow runs while its execution does not. */
export function stayWithoutWorkflowAttention(encounter: Pick<Encounter, 'status'>, workflow: StayWorkflow, status: ExecutionStatusName) {
  return {
    state: 'Workflow not running',
    reason: `The stay is ${encounter.status} but its ${WORKFLOW_WORDS[workflow]} is not running: ${statusWords(status)}. Redrive or restart it.`,
  };
}

/**
 * How long after its last change a stay may have no execution at all: the stream starts the
 * execution moments after admission (or a reopen), and retries for a while if that fails.
 */
export const START_GRACE_MS = 15 * 60_000;

export type StayLiveness = 'running' | 'starting' | 'not-running';

/** The scheduled check's judgement of one stay, given the status of the execution its status calls for. */
export function judgeStay(
  encounter: Pick<Encounter, 'class' | 'status' | 'followUp' | 'updatedAt'>,
  status: ExecutionStatusName,
  now: Date,
): StayLiveness {
  if (!workflowThatShouldRun(encounter) || canStillAnswer(status)) return 'running';
  // Not started yet is only suspicious once the stream has had its time; a stopped one is at once.
  if (status === 'NOT_FOUND' && now.getTime() - new Date(encounter.updatedAt).getTime() < START_GRACE_MS) return 'starting';
  return 'not-running';
}
