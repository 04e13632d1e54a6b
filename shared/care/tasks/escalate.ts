import type { Encounter } from '../../domain/encounter';
import { escalationIdOf, hoursFrom, newTask, type CareTask } from '../../domain/tasks';
import type { TaskStore } from '../../store/task-store';

/**
 * One escalation per task, for the stay's lead care manager (or the care-manager pool when none
 * is named): an urgent task saying what is late, and the task marked escalated. The escalation's
 * id is derived from the task, so the overdue sweep and a workflow's own deadline check never
 * open two for the same lateness. Returns whether this call marked it.
 */
export async function escalateTask(tasks: TaskStore, task: CareTask, encounter: Encounter, detail: string, now: Date): Promise<boolean> {
  await tasks.openOnce({
    ...newTask(
      {
        taskId: escalationIdOf(task.taskId),
        facilityId: encounter.facilityId,
        encounterId: encounter.encounterId,
        type: 'escalation',
        priority: 'urgent',
        dueAt: hoursFrom(now, 2),
        resumesWorkflow: false,
        details: [detail],
      },
      now,
    ),
    ...(encounter.leadCareManagerId ? { assigneeId: encounter.leadCareManagerId } : {}),
  });
  return tasks.markEscalated(task.taskId, now.toISOString());
}
