import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../dynamodb';
import { queryRefusal, type QueryInput } from '../dynamodb-limits';
import type { IamEnforcement } from './enforcement';

/**
 * The functions' DynamoDB endpoint: an HTTP front that authorizes each request against the caller's
 * role (from the SigV4 access key id) before passing it, unchanged, to `upstream` (DynamoDB Local).
 * Requests with other credentials (tests, the stack's own clients) are not authorized. Every request
 * is first held to the limits DynamoDB enforces and DynamoDB Local does not (`../dynamodb-limits`).
 */
export async function startIamDynamoDbProxy(options: {
  upstream: string;
  enforcement: IamEnforcement;
  port?: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(options.upstream);
  // Reused connections: every function call goes through here (load tests, benchmarks).
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const upstreamClient = new DynamoDBClient({ endpoint: options.upstream, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  // Partition key attribute per table and index ('' for the table), read once from DynamoDB Local.
  const partitionKeys = new Map<string, Promise<Map<string, string>>>();
  const partitionKeysOf = (table: string) => {
    let keys = partitionKeys.get(table);
    if (!keys) {
      keys = upstreamClient.send(new DescribeTableCommand({ TableName: table })).then(({ Table }) => {
        const hashOf = (schema?: Array<{ AttributeName?: string; KeyType?: string }>) =>
          schema?.find((key) => key.KeyType === 'HASH')?.AttributeName ?? '';
        return new Map([
          ['', hashOf(Table?.KeySchema)],
          ...(Table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName ?? '', hashOf(index.KeySchema)] as [string, string]),
        ]);
      });
      // A table not there yet is DynamoDB Local's to answer; ask again next time.
      keys.catch(() => partitionKeys.delete(table));
      partitionKeys.set(table, keys);
    }
    return keys;
  };
  const refuse = (res: ServerResponse, type: string, message: string) => {
    // As DynamoDB answers (AWS JSON 1.0): HTTP 400 and the exception's type.
    const payload = Buffer.from(JSON.stringify({ __type: type, Message: message }));
    res.writeHead(400, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': payload.length,
      'x-amzn-requestid': crypto.randomUUID(),
    });
    res.end(payload);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const outgoing = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on('error', () => res.destroy());
    outgoing.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.slice(target.indexOf('.') + 1);
        let input: Record<string, unknown> = {};
        try {
          input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
        } catch {
          // DynamoDB answers malformed bodies itself; authorize what we can (nothing table-specific).
        }
        if (operation === 'Query' && typeof input.TableName === 'string') {
          const keys = await partitionKeysOf(input.TableName).catch(() => undefined);
          const refusal = keys && queryRefusal(input as QueryInput, (_table, index) => keys.get(index ?? ''));
          if (refusal) return refuse(res, 'com.amazon.coral.validate#ValidationException', refusal);
        }
        const principal = options.enforcement.principalOfAuthorization(req.headers.authorization);
        if (!principal) return forward(req, res, body);
        const denial = options.enforcement.authorizeDynamoDb(principal, operation, input);
        if (!denial) return forward(req, res, body);
        // The SDK raises AccessDeniedException.
        refuse(res, 'com.amazon.coral.service#AccessDeniedException', denial.message);
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
        upstreamClient.destroy();
      }),
  };
}
