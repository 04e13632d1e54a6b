import { stableId } from '../ids';
import type { Recorder } from './access';
import { ConflictError } from './errors';

/**
 * Human work items. A task that pauses a workflow carries the Step Functions task token
 * (stored, never returned by the API); completing it resumes the execution.
 */
export const TASK_TYPES = [
  'needs-assessment',
  'patient-choice',
  'discharge-order',
  'discharge-requirements',
  'pharmacist-review',
  'follow-up-contact',
  'follow-up-visit',
  'plan-overdue',
  'review-care-plan',
  'needs-attention',
  'escalation',
  'grievance-response',
  'qio-referral',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_STATUSES = ['open', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const CARE_ROLES = ['care-manager', 'physician', 'nurse', 'social-worker', 'pharmacist', 'operator', 'patient-relations'] as const;
export type CareRole = (typeof CARE_ROLES)[number];

/** `discharged`: the ADT feed reported the discharge while the task was open (system outcome). */
export const TASK_OUTCOMES = ['completed', 'discharged'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

export interface TaskDefinition {
  title: string;
  ownerRole: CareRole;
}

export const TASK_DEFINITIONS: Record<TaskType, TaskDefinition> = {
  'needs-assessment': { title: 'Assess discharge needs', ownerRole: 'care-manager' },
  'patient-choice': { title: "Give the patient the choice list and record the patient's choice", ownerRole: 'care-manager' },
  'discharge-order': { title: 'Write the discharge order', ownerRole: 'physician' },
  'discharge-requirements': { title: 'Complete what discharge still needs (listed on the task)', ownerRole: 'care-manager' },
  'pharmacist-review': { title: 'Review the high-severity drug interactions before discharge', ownerRole: 'pharmacist' },
  'follow-up-contact': {
    title: 'Contact the patient within 2 business days of discharge (document each attempt)',
    ownerRole: 'care-manager',
  },
  'follow-up-visit': { title: 'See that the follow-up visit takes place and medications are reconciled by it', ownerRole: 'care-manager' },
  'plan-overdue': { title: 'No discharge plan 24 hours after admission: start one', ownerRole: 'care-manager' },
  'review-care-plan': { title: 'A monitored value is out of range: review the care plan', ownerRole: 'care-manager' },
  escalation: { title: 'A task for this patient is overdue: follow it up with its owner', ownerRole: 'care-manager' },
  'grievance-response': {
    title: 'Acknowledge the grievance in writing, investigate, and write the decision (deadlines on the task)',
    ownerRole: 'patient-relations',
  },
  'qio-referral': { title: 'Refer the grievance to the QIO (quality of care or premature discharge)', ownerRole: 'patient-relations' },
  'needs-attention': { title: 'A workflow execution stopped: see why, fix, and redrive or restart it', ownerRole: 'operator' },
};

export interface CareTask {
  taskId: string;
  facilityId: string;
  encounterId: string;
  type: TaskType;
  title: string;
  ownerRole: CareRole;
  priority: 'urgent' | 'routine';
  status: TaskStatus;
  dueAt: string;
  createdAt: string;
  /** True when completing the task resumes a paused workflow execution. */
  resumesWorkflow: boolean;
  /** The care-team member it is for (the lead care manager), when one is named. */
  assigneeId?: string;
  completedAt?: string;
  /**
   * Who completed it, as the verified token says: a discharge order's signature is this, never a
   * name in `data` (issue 16 item 5). Absent on tasks completed before it was recorded.
   */
  completedBy?: Recorder;
  outcome?: TaskOutcome;
  data?: Record<string, unknown>;
  /** Set when the task went past its due time and the lead care manager was told. */
  escalatedAt?: string;
  /** What the person must do, when the workflow names it (e.g. the missing discharge elements). */
  details?: string[];
  /**
   * For tasks that resume a workflow: `pending` from completion until Step Functions has the
   * outcome, then `delivered`; `not-waiting` when the execution no longer waited for it
   * (stopped or timed out).
   */
  resume?: TaskResume;
}

export type TaskResume = 'pending' | 'delivered' | 'not-waiting';

export interface NewTaskInput {
  taskId: string;
  facilityId: string;
  encounterId: string;
  type: TaskType;
  priority: 'urgent' | 'routine';
  dueAt: string;
  resumesWorkflow: boolean;
  details?: string[];
}

export function newTask(input: NewTaskInput, now: Date): CareTask {
  const definition = TASK_DEFINITIONS[input.type];
  return {
    ...input,
    title: definition.title,
    ownerRole: definition.ownerRole,
    status: 'open',
    createdAt: now.toISOString(),
  };
}

/** Tasks whose lateness goes to the lead care manager (not escalations themselves, nor operators' tasks). */
export const escalatesWhenOverdue = (task: Pick<CareTask, 'type' | 'status'>) =>
  task.status === 'open' && !['escalation', 'needs-attention'].includes(task.type);

/** The one escalation a task can have: its id derives from the task's, so the sweep and a workflow's deadline check never open two. */
export const escalationIdOf = (taskId: string): string => stableId(taskId, 'escalation');

export function assertOpen(task: CareTask): void {
  if (task.status !== 'open') {
    throw new ConflictError(`Task ${task.taskId} is already ${task.status}`);
  }
}

/** CMS 482.43: planning starts early; an inpatient without a plan after this long is flagged. */
export const PLAN_DUE_WITHIN_HOURS = 24;

export function hoursFrom(now: Date, hours: number): string {
  return new Date(now.getTime() + hours * 3_600_000).toISOString();
}
