import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { mintLocalToken } from '../local/auth';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../local/stack';
import { adt, uniq } from '../local/synthetic-adt';
import { adtStore } from '../shared/store/adt-store';

/**
 * ADT messages per second through the local HTTP API (auth, handler, DynamoDB Local), with 5%
 * repeats, then a check that the store holds exactly the unique messages; against the ceiling
 * measured in the same run: raw PutItem/s at the same concurrency ÷ the DynamoDB items one
 * message writes (counted in a second, smaller run through a counting proxy, so the proxy's hop
 * does not slow the measured run).
 *   npm run bench -- [--messages 1000] [--concurrency 8]
 * Expects `npm run synth` to have run (npm run bench does it).
 */
const { values } = parseArgs({ options: { messages: { type: 'string' }, concurrency: { type: 'string' } } });
const total = Number(values.messages ?? 1000);
const concurrency = Number(values.concurrency ?? 8);
const TABLE = 'carepath-dev-care-record';

/** A realistic mix without workflows (outpatient registrations, updates, person records), 5% repeats. */
function feedMix(count: number): { messages: string[]; unique: number } {
  const unique: string[] = [];
  const visits: Array<{ mrn: string; visit: string }> = [];
  while (unique.length < Math.round(count * 0.95)) {
    const roll = unique.length % 10;
    if (roll < 5 || visits.length === 0) {
      const v = { mrn: uniq('MRN'), visit: uniq('V') };
      visits.push(v);
      unique.push(adt({ event: 'A04', ...v, patientClass: 'O', receivingFacility: '' }));
    } else if (roll < 8) {
      const v = visits[(unique.length * 7) % visits.length]!;
      unique.push(adt({ event: 'A08', ...v, patientClass: 'O', at: `2026112${1 + (unique.length % 8)}0900`, receivingFacility: '' }));
    } else {
      unique.push(adt({ event: 'A28', mrn: uniq('MRN'), receivingFacility: '' }));
    }
  }
  const repeats = Array.from({ length: count - unique.length }, (_, i) => unique[(i * 19) % unique.length]!);
  // Repeats go after their originals so each is a true duplicate, spread through the second half.
  const half = Math.floor(unique.length / 2);
  const out = unique.slice(0, half);
  const step = Math.max(1, Math.floor((unique.length - half) / Math.max(1, repeats.length)));
  let j = 0;
  unique.slice(half).forEach((message, i) => {
    out.push(message);
    if (i % step === step - 1 && j < repeats.length) out.push(repeats[j++]!);
  });
  return { messages: [...out, ...repeats.slice(j)], unique: unique.length };
}

/** Sends the messages, `concurrency` at a time; the latencies and seconds. */
async function feed(stack: LocalStack, facility: string, messages: string[]) {
  const send = await sender(stack, facility);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < messages.length) latencies.push(await send(messages[next++]!));
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

/** One message per sender first, not measured: every function instance the feed uses has started. */
async function warm(stack: LocalStack, facility: string) {
  const send = await sender(stack, facility);
  await Promise.all(Array.from({ length: concurrency }, () => send(adt({ event: 'A28', mrn: uniq('WARM'), receivingFacility: '' }))));
}

async function sender(stack: LocalStack, facility: string) {
  const token = await mintLocalToken({ facilityId: facility, clientId: 'bench' });
  return async (message: string) => {
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
}

const quietStack = (extra: Partial<LocalStackOptions> = {}) =>
  startLocalStack({ ports: { http: 0, stepFunctions: 0, dynamodb: 0 }, functionLogLevel: 'ERROR', echoFunctionLogs: false, ...extra });

// Run 1: throughput, the functions talking straight to DynamoDB Local; then the raw PutItem rate.
const facility = `BENCH${Date.now() % 100000}`;
const mix = feedMix(total);
const stack = await quietStack();
let run: Awaited<ReturnType<typeof feed>>;
let stored: number;
let putsPerSecond: number;
try {
  await warm(stack, facility);
  run = await feed(stack, facility, mix.messages);
  const client = new DynamoDBClient({
    endpoint: stack.dynamodbUrl,
    region: stack.region,
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  stored = (await adtStore(client, TABLE).countReceivedOn(facility, new Date().toISOString().slice(0, 10))) - concurrency; // minus warm-up
  // Items of an ADT message's size, at the same concurrency, against the same DynamoDB Local.
  const putItems = 2000;
  const raw = 'x'.repeat(mix.messages[0]!.length);
  let put = 0;
  const putStarted = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (put < putItems) {
        const n = put++;
        await client.send(
          new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `BENCHPUT#${facility}#${n}` }, sk: { S: 'PUT' }, raw: { S: raw } } }),
        );
      }
    }),
  );
  putsPerSecond = putItems / ((performance.now() - putStarted) / 1000);
  client.destroy();
} finally {
  await stack.stop();
}

// Run 2: the DynamoDB items one message writes, stream consumers' writes (audit trail) included.
let dynamoTarget = '';
let itemsWritten = 0;
const proxy = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '')
      .split('.')
      .at(-1);
    if (operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem') itemsWritten += 1;
    if (operation === 'TransactWriteItems')
      itemsWritten += (JSON.parse(body.toString()) as { TransactItems: unknown[] }).TransactItems.length;
    if (operation === 'BatchWriteItem') {
      for (const items of Object.values((JSON.parse(body.toString()) as { RequestItems: Record<string, unknown[]> }).RequestItems))
        itemsWritten += items.length;
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
const sample = feedMix(Math.min(200, total));
const counted = await quietStack({
  functionDynamoDbEndpoint: (endpoint) => {
    dynamoTarget = endpoint;
    return proxyUrl;
  },
});
let writesPerMessage: number;
try {
  const counting = `BENCHW${Date.now() % 100000}`;
  await warm(counted, counting);
  // Let the warm-up's stream writes land before counting starts.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const start = itemsWritten;
  await feed(counted, counting, sample.messages);
  // The stream consumers write after the ACK: wait until the count stops moving.
  let settled = -1;
  while (settled !== itemsWritten) {
    settled = itemsWritten;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  writesPerMessage = (itemsWritten - start) / sample.messages.length;
} finally {
  await counted.stop();
  proxy.close();
}

const pct = (p: number) => Math.round(run.latencies[Math.min(run.latencies.length - 1, Math.floor(p * run.latencies.length))]!);
const messagesPerSecond = mix.messages.length / run.seconds;
const ceiling = putsPerSecond / writesPerMessage;
const result = {
  date: new Date().toISOString(),
  machine: `${cpus().length} cores, Node ${process.version}`,
  messages: mix.messages.length,
  unique: mix.unique,
  repeats: mix.messages.length - mix.unique,
  concurrency,
  seconds: Number(run.seconds.toFixed(2)),
  messagesPerSecond: Math.round(messagesPerSecond),
  latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
  storedMessages: stored,
  storedEqualsUnique: stored === mix.unique,
  dynamoDbItemsWrittenPerMessage: Number(writesPerMessage.toFixed(2)),
  rawPutItemsPerSecond: Math.round(putsPerSecond),
  ceilingMessagesPerSecond: Number(ceiling.toFixed(1)),
  ratioToCeiling: Number((messagesPerSecond / ceiling).toFixed(2)),
  target: 0.8,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/adt-throughput.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
if (!result.storedEqualsUnique) {
  console.error(`Stored ${stored} messages for ${mix.unique} unique ones`);
  process.exitCode = 1;
}
