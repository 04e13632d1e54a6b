import { DescribeExecutionCommand, GetExecutionHistoryCommand, type SFNClient } from '@aws-sdk/client-sfn';

export interface WorkflowStatus {
  executionArn: string;
  /**
   * The execution's status, or NOT_FOUND when Step Functions no longer knows it (closed
   * executions are kept 90 days; a restarted local stack forgets them).
   */
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
  try {
    const [execution, history] = await Promise.all([
      sfn.send(new DescribeExecutionCommand({ executionArn })),
      sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 25, includeExecutionData: false })),
    ]);
    const entered = history.events?.find((event) => event.stateEnteredEventDetails?.name);
    return {
      executionArn,
      status: execution.status ?? 'UNKNOWN',
      currentState: entered?.stateEnteredEventDetails?.name,
      startedAt: execution.startDate?.toISOString(),
      stoppedAt: execution.stopDate?.toISOString(),
    };
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return { executionArn, status: 'NOT_FOUND' };
    throw error;
  }
}

/** The execution's status alone (DescribeExecution), NOT_FOUND when Step Functions does not know it. */
export async function executionStatus(sfn: SFNClient, executionArn: string): Promise<string> {
  try {
    return (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status ?? 'UNKNOWN';
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return 'NOT_FOUND';
    throw error;
  }
}
