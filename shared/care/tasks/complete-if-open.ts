import type { CareTask } from '../../domain/tasks';
import type { TaskStore } from '../../store/task-store';

/**
 * A task that needs no answer of its own (a follow-up contact or visit, a grievance) is done once
 * what it asks for is on record: completed then, unless a person or a workflow closed it already.
 */
export async function completeIfOpen(
  tasks: TaskStore,
  taskId: string,
  data: Record<string, unknown>,
  at: string,
): Promise<CareTask | undefined> {
  const stored = await tasks.get(taskId);
  if (stored?.task.status !== 'open') return undefined;
  return tasks.complete(stored.task, { outcome: 'completed', data, completedAt: at }).catch((error: Error) => {
    if (error.name !== 'ConflictError') throw error;
    return undefined;
  });
}
