/** A history event as far as finding where an execution stopped needs it. */
export interface HistoryEventLike {
  type?: string;
  stateEnteredEventDetails?: { name?: string };
}

export interface StopPoint {
  /** The state operators look at: the failed step, or the "Needs attention: …" state before a Fail state. */
  state: string;
  /** Whether the execution ended in one of the workflows' own Fail states (a stop already announced). */
  throughFailState: boolean;
}

/**
 * Where an execution stopped, from its history newest first: the last state entered, unless
 * that is a Fail state — every Fail state in Carepath follows the "Needs attention: …" state
 * that opened the operator task, and that is the state the task is keyed by.
 */
export function stoppedIn(newestFirst: readonly HistoryEventLike[]): StopPoint | undefined {
  const entered = newestFirst.filter((e) => e.type?.endsWith('StateEntered') && e.stateEnteredEventDetails?.name);
  const [last, before] = entered;
  if (!last) return undefined;
  if (last.type === 'FailStateEntered' && before) return { state: before.stateEnteredEventDetails!.name!, throughFailState: true };
  return { state: last.stateEnteredEventDetails!.name!, throughFailState: last.type === 'FailStateEntered' };
}
