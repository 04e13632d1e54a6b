/**
 * What DynamoDB refuses that DynamoDB Local lets through, checked in the local DynamoDB front so a
 * request that would fail on AWS fails here too. DynamoDB Local (2026-05-28) enforces the key-size
 * limits on every write and on GetItem/UpdateItem/DeleteItem/ConditionCheck, but answers a Query
 * whose partition key value is over 2,048 bytes (table or index) as if it matched nothing; DynamoDB
 * answers it with a ValidationException (the message below is DynamoDB's own, spacing included).
 */

/** A key's attribute value as the wire carries it (AWS JSON 1.0). */
type AttributeValue = { S?: string; B?: string; N?: string };

export interface QueryInput {
  TableName?: string;
  IndexName?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

export const MAX_PARTITION_KEY_BYTES = 2048;
export const PARTITION_KEY_TOO_LARGE = `One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of${MAX_PARTITION_KEY_BYTES} bytes`;

/** Bytes DynamoDB counts for a key value: UTF-8 for a string, the decoded bytes for a binary. */
function keyBytes(value: AttributeValue): number {
  if (typeof value.S === 'string') return Buffer.byteLength(value.S, 'utf8');
  if (typeof value.B === 'string') return Buffer.from(value.B, 'base64').length;
  return 0;
}

/**
 * The refusal DynamoDB would give this Query, if its key condition names the partition key
 * (`partitionKeyOf(table, index)`) with a value over 2,048 bytes; undefined otherwise.
 */
export function queryRefusal(input: QueryInput, partitionKeyOf: (table: string, index?: string) => string | undefined): string | undefined {
  if (!input.TableName || !input.KeyConditionExpression) return undefined;
  const partitionKey = partitionKeyOf(input.TableName, input.IndexName);
  if (!partitionKey) return undefined;
  const nameOf = (token: string) => (token.startsWith('#') ? input.ExpressionAttributeNames?.[token] : token);
  // The partition key is compared with `=`, written either way round.
  for (const [, left, right] of input.KeyConditionExpression.matchAll(/([#:]?[\w.]+)\s*=\s*([#:]?[\w.]+)/g)) {
    const [name, value] = left!.startsWith(':') ? [right!, left!] : [left!, right!];
    if (nameOf(name) !== partitionKey) continue;
    const attribute = input.ExpressionAttributeValues?.[value];
    if (attribute && keyBytes(attribute) > MAX_PARTITION_KEY_BYTES) return PARTITION_KEY_TOO_LARGE;
  }
  return undefined;
}
