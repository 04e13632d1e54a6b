import { count } from '../../observability/metrics';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { systemNow } from '../ports';

/** How far Step Functions' clock may be behind this function's and a start still count as new. */
const CLOCK_SKEW_MS = 1_000;

/**
 * Starts an execution by name; a repeat (stream retry) finds it started and is harmless. Returns
 * whether this call started it, and counts WorkflowsStarted only then: StartExecution is idempotent,
 * so the same name and input of a running execution answer with that execution (its own, earlier
 * start date) rather than ExecutionAlreadyExists.
 */
export async function startExecutionOnce(
  deps: { sfn: SFNClient; stateMachineArn: string; now?: () => Date },
  name: string,
  input: Record<string, unknown>,
): Promise<boolean> {
  const sentAt = (deps.now ?? systemNow)().getTime();
  try {
    const { startDate } = await deps.sfn.send(
      new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name, input: JSON.stringify(input) }),
    );
    if (startDate && startDate.getTime() < sentAt - CLOCK_SKEW_MS) return false;
    count('WorkflowsStarted', { workflow: deps.stateMachineArn.split(':').at(-1) ?? 'unknown' });
    return true;
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    return false;
  }
}
