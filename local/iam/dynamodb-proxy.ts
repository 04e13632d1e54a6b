import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IamEnforcement } from './enforcement';

/**
 * The functions' DynamoDB endpoint: an HTTP front that authorizes each request against the caller's
 * role (from the SigV4 access key id) before passing it, unchanged, to `upstream` (DynamoDB Local).
 * Requests with other credentials (tests, the stack's own clients) go straight through.
 */
export async function startIamDynamoDbProxy(options: {
  upstream: string;
  enforcement: IamEnforcement;
  port?: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(options.upstream);
  // Reused connections: every function call goes through here (load tests, benchmarks).
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

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
      const body = Buffer.concat(chunks);
      const principal = options.enforcement.principalOfAuthorization(req.headers.authorization);
      if (!principal) return forward(req, res, body);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      let input: Record<string, unknown> = {};
      try {
        input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        // DynamoDB answers malformed bodies itself; authorize what we can (nothing table-specific).
      }
      const denial = options.enforcement.authorizeDynamoDb(principal, operation, input);
      if (!denial) return forward(req, res, body);
      // As DynamoDB answers (AWS JSON 1.0): HTTP 400, the SDK raises AccessDeniedException.
      const payload = Buffer.from(JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: denial.message }));
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'content-length': payload.length, 'x-amzn-requestid': crypto.randomUUID() });
      res.end(payload);
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
      }),
  };
}
