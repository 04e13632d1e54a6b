/**
 * Stuck executions, judged by age while they still run. Step Functions publishes ExecutionTime only
 * when an execution ends, so an alarm on it never fires for one that is stuck: the scheduled
 * check (functions/check-stuck-executions) lists the running ones and judges them here.
 */
export interface RunningExecution {
  startDate: Date;
}

export interface ExecutionAges {
  /** Seconds since the oldest running execution started (0 with none running). */
  oldestAgeSeconds: number;
  /** Running executions older than the machine's limit. */
  overLimit: number;
  running: number;
}

export function judgeExecutionAges(running: readonly RunningExecution[], limitSeconds: number, now: Date): ExecutionAges {
  const ages = running.map((execution) => Math.max(0, Math.floor((now.getTime() - execution.startDate.getTime()) / 1000)));
  return {
    oldestAgeSeconds: ages.length ? Math.max(...ages) : 0,
    overLimit: ages.filter((age) => age > limitSeconds).length,
    running: ages.length,
  };
}
