import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Actor, ChangeStamp } from '../domain/audit';
import { toItem, type Item } from './dynamo';

/**
 * Who is acting for the code running inside `actingAs`: set once at the edge (the HTTP route
 * wrapper, the workflow step wrapper, the stream consumer), read by the DynamoDB client below.
 */
const acting = new AsyncLocalStorage<Actor>();

export function actingAs<T>(actor: Actor, run: () => Promise<T>): Promise<T> {
  return acting.run(actor, run);
}

export const currentActor = (): Actor | undefined => acting.getStore();

const STAMP_NAME = '#carepathLastChange';
const STAMP_VALUE = ':carepathLastChange';

type WriteInput = {
  Item?: Item;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
};

/** Adds `lastChange` to a Put's item, or to an Update's SET clause (creating one if it has none). */
function stampWrite<T extends WriteInput>(write: T, stamp: AttributeValue): T {
  if (write.Item) return { ...write, Item: { ...write.Item, lastChange: stamp } };
  if (!write.UpdateExpression) return write;
  const assignment = `${STAMP_NAME} = ${STAMP_VALUE}`;
  // A clause keyword stands at the start or after whitespace; ":set…" placeholders never do.
  const setClause = /(^|\s)SET\s/i;
  const expression = setClause.test(write.UpdateExpression)
    ? write.UpdateExpression.replace(setClause, (match) => `${match}${assignment}, `)
    : `SET ${assignment} ${write.UpdateExpression}`;
  return {
    ...write,
    UpdateExpression: expression,
    ExpressionAttributeNames: { ...write.ExpressionAttributeNames, [STAMP_NAME]: 'lastChange' },
    ExpressionAttributeValues: { ...write.ExpressionAttributeValues, [STAMP_VALUE]: stamp },
  };
}

type TransactInput = { TransactItems?: Array<{ Put?: WriteInput; Update?: WriteInput }> };

/**
 * Every Put and Update this client sends carries `lastChange` = the current actor plus a fresh
 * change id, so the audit trail (written from the table's stream) can name who changed each
 * record without every store passing the caller along. Writes outside `actingAs` (tests, local
 * tooling) go unstamped and are audited as the platform's.
 */
export function stampChanges(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const actor = currentActor();
      const command = context.commandName;
      if (!actor || !['PutItemCommand', 'UpdateItemCommand', 'TransactWriteItemsCommand'].includes(command ?? '')) return next(args);
      const stamp: AttributeValue = { M: toItem({ ...actor, changeId: randomUUID(), at: new Date().toISOString() } satisfies ChangeStamp) };
      const input = args.input as WriteInput & TransactInput;
      const stamped =
        command === 'TransactWriteItemsCommand'
          ? {
              ...input,
              TransactItems: input.TransactItems?.map((entry) => ({
                ...entry,
                ...(entry.Put ? { Put: stampWrite(entry.Put, stamp) } : {}),
                ...(entry.Update ? { Update: stampWrite(entry.Update, stamp) } : {}),
              })),
            }
          : stampWrite(input, stamp);
      return next({ ...args, input: stamped });
    },
    { step: 'initialize', name: 'carepathChangeStamp', override: true },
  );
  return client;
}
