import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** Starts an execution by name; a repeat (stream retry) finds it started and is harmless. */
export async function startExecutionOnce(
  deps: { sfn: SFNClient; stateMachineArn: string },
  name: string,
  input: Record<string, unknown>,
): Promise<void> {
  try {
    await deps.sfn.send(new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name, input: JSON.stringify(input) }));
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
  }
}
