import { GetExecutionHistoryCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** The states an execution entered, in order (from its history): what the designed paths are checked against. */
export async function statesEntered(sfn: SFNClient, executionArn: string): Promise<string[]> {
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return (history.events ?? []).flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
}
