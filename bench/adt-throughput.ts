import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mintLocalToken } from '../local/auth';
import { LOCAL_ACCOUNT, startLocalStack } from '../local/stack';
import { LocalTemplate } from '../local/template';
import { adtStore } from '../shared/store/adt-store';
import { adt, uniq } from '../local/synthetic-adt';

/**
 * ADT messages per second through the local HTTP API (auth, handler, DynamoDB Local), with 5%
 * repeats, then a check that the store holds exactly the unique messages.
 *   npm run bench -- [--messages 1000] [--concurrency 8]
 * Expects `npm run synth` to have run (npm run bench does it).
 */
const { values } = parseArgs({ options: { messages: { type: 'string' }, concurrency: { type: 'string' } } });
const total = Number(values.messages ?? 1000);
const concurrency = Number(values.concurrency ?? 8);
const facility = `BENCH${Date.now() % 100000}`;

// A realistic mix without workflows (outpatient registrations, updates, person records).
const unique: string[] = [];
const visits: Array<{ mrn: string; visit: string }> = [];
while (unique.length < Math.round(total * 0.95)) {
  const roll = unique.length % 10;
  if (roll < 5 || visits.length === 0) {
    const v = { mrn: uniq('MRN'), visit: uniq('V') };
    visits.push(v);
    unique.push(adt({ event: 'A04', ...v, patientClass: 'O' }));
  } else if (roll < 8) {
    const v = visits[(unique.length * 7) % visits.length]!;
    unique.push(adt({ event: 'A08', ...v, patientClass: 'O', at: `2026112${1 + (unique.length % 8)}0900` }));
  } else {
    unique.push(adt({ event: 'A28', mrn: uniq('MRN') }));
  }
}
const repeats = Array.from({ length: total - unique.length }, (_, i) => unique[(i * 19) % unique.length]!);
// Repeats go after their originals so each is a true duplicate, spread through the second half.
const messages = [...unique.slice(0, unique.length / 2), ...interleave(unique.slice(unique.length / 2), repeats)];

function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  const step = Math.max(1, Math.floor(a.length / Math.max(1, b.length)));
  let j = 0;
  a.forEach((item, i) => {
    out.push(item);
    if (i % step === step - 1 && j < b.length) out.push(b[j++]!);
  });
  return [...out, ...b.slice(j)];
}

/**
 * Between the functions and DynamoDB Local: counts the items written (PutItem, UpdateItem,
 * DeleteItem: one; TransactWriteItems, BatchWriteItem: each item), so the ceiling below can divide
 * by the writes one message really costs — stream consumers' writes (audit trail, metrics) included.
 */
let dynamoTarget = '';
let itemsWritten = 0;
const proxy = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.').at(-1);
    if (operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem') itemsWritten += 1;
    if (operation === 'TransactWriteItems') itemsWritten += (JSON.parse(body.toString()) as { TransactItems: unknown[] }).TransactItems.length;
    if (operation === 'BatchWriteItem') {
      for (const items of Object.values((JSON.parse(body.toString()) as { RequestItems: Record<string, unknown[]> }).RequestItems)) itemsWritten += items.length;
    }
    const forward = httpRequest(`${dynamoTarget}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    forward.end(body);
  });
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

const stack = await startLocalStack({
  ports: { http: 0, stepFunctions: 0, dynamodb: 0 },
  functionLogLevel: 'ERROR',
  echoFunctionLogs: false,
  functionDynamoDbEndpoint: (endpoint) => {
    dynamoTarget = endpoint;
    return proxyUrl;
  },
});
try {
  const token = await mintLocalToken({ facilityId: facility, clientId: 'bench' });
  const send = async (message: string) => {
    const started = performance.now();
    const response = await fetch(`${stack.httpUrl}/v1/adt`, {
      method: 'POST',
      headers: { 'content-type': 'application/hl7-v2', authorization: `Bearer ${token}` },
      body: message,
    });
    const ack = await response.text();
    if (response.status !== 200 || !ack.includes('MSA|AA|')) throw new Error(`Unexpected answer ${response.status}: ${ack.slice(0, 200)}`);
    return performance.now() - started;
  };

  // Warm-up: one cold start per function instance, not measured.
  for (let i = 0; i < concurrency; i++) await send(adt({ event: 'A28', mrn: uniq('WARM') }));

  const latencies: number[] = [];
  let next = 0;
  const writesBefore = itemsWritten;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < messages.length) latencies.push(await send(messages[next++]!));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // The stream consumers write after the ACK (audit trail): let them finish before counting.
  let settled = -1;
  while (settled !== itemsWritten) {
    settled = itemsWritten;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const writesPerMessage = (itemsWritten - writesBefore) / messages.length;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!);

  const template = LocalTemplate.load('cdk.out', 'Carepath-dev', LOCAL_ACCOUNT);
  const table = template.physicalName(template.ofType('AWS::DynamoDB::Table')[0]![0]);
  const client = new DynamoDBClient({ endpoint: stack.dynamodbUrl, region: stack.region, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const today = new Date().toISOString().slice(0, 10);
  const stored = (await adtStore(client, table).countReceivedOn(facility, today)) - concurrency; // minus warm-up

  // The ceiling: raw PutItem/s against the same DynamoDB Local at the same concurrency, items of
  // an ADT message's size, divided by the writes one message costs.
  const putItems = 2000;
  let put = 0;
  const raw = 'x'.repeat(messages[0]!.length);
  const putStarted = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (put < putItems) {
        const n = put++;
        await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `BENCHPUT#${facility}#${n}` }, sk: { S: 'PUT' }, raw: { S: raw } } }));
      }
    }),
  );
  const putsPerSecond = putItems / ((performance.now() - putStarted) / 1000);
  client.destroy();
  const ceiling = putsPerSecond / writesPerMessage;

  const result = {
    date: new Date().toISOString(),
    machine: `${(await import('node:os')).cpus().length} cores, Node ${process.version}`,
    messages: messages.length,
    unique: unique.length,
    repeats: repeats.length,
    concurrency,
    seconds: Number(seconds.toFixed(2)),
    messagesPerSecond: Math.round(messages.length / seconds),
    latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
    storedMessages: stored,
    storedEqualsUnique: stored === unique.length,
    dynamoDbItemsWrittenPerMessage: Number(writesPerMessage.toFixed(2)),
    rawPutItemsPerSecond: Math.round(putsPerSecond),
    ceilingMessagesPerSecond: Number(ceiling.toFixed(1)),
    ratioToCeiling: Number((messages.length / seconds / ceiling).toFixed(2)),
    target: 0.8,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/adt-throughput.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  if (!result.storedEqualsUnique) {
    console.error(`Stored ${stored} messages for ${unique.length} unique ones`);
    process.exitCode = 1;
  }
} finally {
  await stack.stop();
  proxy.close();
}
