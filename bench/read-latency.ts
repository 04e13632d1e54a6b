import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { mintLocalToken } from '../local/auth';
import { startLocalStack } from '../local/stack';
import { keys } from '../shared/store/keys';
import { toItem } from '../shared/store/dynamo';
import { measure, percentile as pct } from './measure';

/**
 * A read that needs one DynamoDB read — GET /v1/patients/{id} (one consistent GetItem) — through
 * the local API (token check, routing, handler, the read), against the same GetItem sent straight
 * to the same DynamoDB Local, at the same concurrency, in the same run. Targets: p50 ≤ 1.25×,
 * p99 ≤ 2×.   tsx bench/read-latency.ts [--requests 2000] [--concurrency 8]   (after npm run synth)
 */
const REQUESTS = Number(process.env.BENCH_READS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const stack = await startLocalStack({
  ports: { http: 0, stepFunctions: 0, dynamodb: 0 },
  functionLogLevel: 'ERROR',
  echoFunctionLogs: false,
});
try {
  const token = await mintLocalToken({ facilityId: 'BENCH', clientId: 'bench', roles: ['care-manager'] });
  const registered = await fetch(`${stack.httpUrl}/v1/patients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      identifiers: [{ system: 'urn:example:mrn', value: `B-${Date.now()}`, type: 'MR' }],
      name: { family: 'Benchpatient', given: ['Synthetic'] },
      birthDate: '1950-02-03',
      sex: 'female',
    }),
  });
  const patient = (await registered.json()) as { patientId?: string };
  if (!patient.patientId) throw new Error(`registration failed: ${registered.status} ${JSON.stringify(patient)}`);
  const table = 'carepath-dev-care-record';
  const client = new DynamoDBClient({
    endpoint: stack.dynamodbUrl,
    region: stack.region,
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const raw = async () => {
    const out = await client.send(
      new GetItemCommand({ TableName: table, Key: toItem(keys.patient(patient.patientId!)), ConsistentRead: true }),
    );
    if (!out.Item) throw new Error('raw read found nothing');
  };
  const viaApi = async () => {
    const response = await fetch(`${stack.httpUrl}/v1/patients/${patient.patientId}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`API answered ${response.status}`);
  };
  // Warm both paths (function instances, connections), then alternate the two measurements twice.
  await measure(CONCURRENCY * 20, CONCURRENCY, viaApi);
  await measure(CONCURRENCY * 20, CONCURRENCY, raw);
  const rawLatencies = [...(await measure(REQUESTS / 2, CONCURRENCY, raw))];
  const apiLatencies = [...(await measure(REQUESTS / 2, CONCURRENCY, viaApi))];
  rawLatencies.push(...(await measure(REQUESTS / 2, CONCURRENCY, raw)));
  apiLatencies.push(...(await measure(REQUESTS / 2, CONCURRENCY, viaApi)));
  rawLatencies.sort((a, b) => a - b);
  apiLatencies.sort((a, b) => a - b);
  client.destroy();
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores, Node ${process.version}`,
    route: 'GET /v1/patients/{id}',
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    rawGetItemMs: { p50: pct(rawLatencies, 0.5), p99: pct(rawLatencies, 0.99) },
    apiMs: { p50: pct(apiLatencies, 0.5), p99: pct(apiLatencies, 0.99) },
    ratio: {
      p50: Number((pct(apiLatencies, 0.5) / pct(rawLatencies, 0.5)).toFixed(2)),
      p99: Number((pct(apiLatencies, 0.99) / pct(rawLatencies, 0.99)).toFixed(2)),
    },
    targets: { p50: 1.25, p99: 2 },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/read-latency.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await stack.stop();
}
