import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { Encounter } from '../../shared/domain/encounter';
import { dischargePlanningExecutionName, needsDischargePlanning } from '../../shared/domain/workflows';
import { requireEnv } from '../../shared/env';
import { logger } from '../../shared/observability/logger';
import { sfnClient } from '../../shared/store/clients';
import { fromItem } from '../../shared/store/dynamo';

/**
 * Table stream → Step Functions. Starting from the stream (not from the admit request) means a
 * stored admission always gets its workflow: a failed start is retried by the event source
 * mapping, and the execution name makes a repeated start harmless.
 */
export async function startDischargePlanning(
  event: DynamoDBStreamEvent,
  deps: { sfn: SFNClient; stateMachineArn: string },
): Promise<DynamoDBBatchResponse> {
  const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) continue;
    const encounter = fromItem<Encounter & { entityType?: string }>(image as Record<string, AttributeValue>);
    if (encounter.entityType !== 'Encounter' || !needsDischargePlanning(encounter)) continue;
    try {
      await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: deps.stateMachineArn,
          name: dischargePlanningExecutionName(encounter.encounterId),
          input: JSON.stringify({ encounterId: encounter.encounterId }),
        }),
      );
      logger.info('Discharge planning started', { encounterId: encounter.encounterId });
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') continue;
      logger.error('Could not start discharge planning', {
        encounterId: encounter.encounterId,
        errorName: (error as Error).name,
      });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures: failures };
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event) =>
    startDischargePlanning(event, {
      sfn: sfnClient(),
      stateMachineArn: requireEnv('DISCHARGE_PLANNING_STATE_MACHINE_ARN'),
    }),
  );
