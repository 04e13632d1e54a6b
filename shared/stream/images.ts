import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { fromItem } from '../store/dynamo';

/** A stream record's item before and after the change, unmarshalled (either may be absent). */
export function imagesOf<T = Record<string, unknown>>(record: DynamoDBRecord): { oldItem?: T; newItem?: T } {
  const image = (raw: unknown) => (raw ? fromItem<T>(raw as Record<string, AttributeValue>) : undefined);
  const [oldItem, newItem] = [image(record.dynamodb?.OldImage), image(record.dynamodb?.NewImage)];
  return { ...(oldItem ? { oldItem } : {}), ...(newItem ? { newItem } : {}) };
}
