import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../observability/logger';

/**
 * A stream batch, record by record in order: the first failure and everything after it are
 * reported as batch item failures, so they are retried in order (each handler is idempotent).
 */
export async function inOrder(
  event: DynamoDBStreamEvent,
  handle: (record: DynamoDBRecord) => Promise<void>,
  failureMessage: string,
): Promise<DynamoDBBatchResponse> {
  for (const [index, record] of event.Records.entries()) {
    try {
      await handle(record);
    } catch (error) {
      logger.error(failureMessage, { errorName: (error as Error).name, eventId: record.eventID });
      return { batchItemFailures: event.Records.slice(index).map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
    }
  }
  return { batchItemFailures: [] };
}
