import { DescribeExecutionCommand, GetExecutionHistoryCommand, type SFNClient } from '@aws-sdk/client-sfn';

export interface WorkflowStatus {
  executionArn: string;
  status: string;
  currentState?: string;
  startedAt?: string;
  stoppedAt?: string;
}

/**
 * Execution status plus the name of the state it is in (or ended in). Step Functions has no
 * "current state" field; the newest StateEntered event in the history is that state.
 */
export async function describeWorkflow(sfn: SFNClient, executionArn: string): Promise<WorkflowStatus> {
  const [execution, history] = await Promise.all([
    sfn.send(new DescribeExecutionCommand({ executionArn })),
    sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 25, includeExecutionData: false }),
    ),
  ]);
  const entered = history.events?.find((event) => event.stateEnteredEventDetails?.name);
  return {
    executionArn,
    status: execution.status ?? 'UNKNOWN',
    currentState: entered?.stateEnteredEventDetails?.name,
    startedAt: execution.startDate?.toISOString(),
    stoppedAt: execution.stopDate?.toISOString(),
  };
}
