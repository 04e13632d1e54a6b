import type { CareTask } from '../domain/tasks';
import type { TaskStore } from './task-store';

/**
 * A follow-up task is done once what it asks for is documented: completed then, unless a person
 * (or the closing window) closed it already.
 */
export async function completeIfOpen(tasks: TaskStore, taskId: string, data: Record<string, unknown>, at: string): Promise<CareTask | undefined> {
  const stored = await tasks.get(taskId);
  if (stored?.task.status !== 'open') return undefined;
  return tasks.complete(stored.task, { outcome: 'completed', data, completedAt: at }).catch((error: Error) => {
    if (error.name !== 'ConflictError') throw error;
    return undefined;
  });
}
