import { count } from '../../shared/observability/metrics';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** Starts an execution by name; a repeat (stream retry) finds it started and is harmless. */
export async function startExecutionOnce(
  deps: { sfn: SFNClient; stateMachineArn: string },
  name: string,
  input: Record<string, unknown>,
): Promise<void> {
  try {
    await deps.sfn.send(new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name, input: JSON.stringify(input) }));
    count('WorkflowsStarted', { workflow: deps.stateMachineArn.split(':').at(-1) ?? 'unknown' });
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
  }
}
