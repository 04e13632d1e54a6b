import { BatchWriteItemCommand, DynamoDBClient, type BatchWriteItemCommandOutput, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { mintLocalToken } from '../local/auth';
import { startLocalStack } from '../local/stack';
import { ENCOUNTER_CLASSES, type Encounter, type Patient } from '../shared/domain/encounter';
import { newTask } from '../shared/domain/tasks';
import { newId } from '../shared/ids';
import type { Item } from '../shared/store/dynamo';
import { newEncounterPut } from '../shared/store/encounter-store';
import { patientWrites } from '../shared/store/patient-store';
import { taskStore } from '../shared/store/task-store';
import { measure, percentile } from './measure';

/**
 * The main reads with 1,000 encounters loaded, then with 100,000: p50 of each through the local
 * API, and the ratio between the two (target ≤ 1.2). Encounters are the items the admission and
 * the first workflow task write (the store's own write builders: patient, identifier, encounter
 * with its index keys, task), batch-written straight to DynamoDB Local: through the API the load
 * alone would take an hour here.
 * The stream consumers are stopped first, or every admission would start a discharge-planning
 * execution and the measurement would be of those.
 *   tsx bench/reads-at-scale.ts   (after npm run synth; BENCH_SCALE_LARGE=100000 BENCH_SCALE_SMALL=1000)
 */
const SMALL = Number(process.env.BENCH_SCALE_SMALL ?? 1_000);
const LARGE = Number(process.env.BENCH_SCALE_LARGE ?? 100_000);
const READS_PER_ROUTE = Number(process.env.BENCH_SCALE_READS ?? 600);
const CONCURRENCY = 8;
const LOAD_CONCURRENCY = 8;
/** Up to 4 instances of each function serve the reads, each with its own cold JIT to warm. */
const WARM_UP_READS = Number(process.env.BENCH_SCALE_WARM_UP_READS ?? 2_000);
const TARGET_RATIO = 1.2;
const FACILITY = 'SCALE';
const TABLE = 'carepath-dev-care-record';

interface Loaded {
  patientId: string;
  encounterId: string;
  mrn: string;
  /** Every item stored for this patient, to take the large set away again. */
  keys: Item[];
}

/** Synthetic patient n: one stay (classes in turn, over 12 units) and its open assessment task. */
function synthetic(n: number) {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  const patientId = newId();
  const mrn = `SC-${String(n).padStart(7, '0')}`;
  const patient: Patient = {
    patientId,
    facilityId: FACILITY,
    identifiers: [{ system: 'urn:example:mrn', value: mrn, type: 'MR' }],
    name: { family: 'Scalepatient', given: ['Synthetic'] },
    birthDate: '1950-02-03',
    sex: 'female',
  };
  const encounter: Encounter = {
    encounterId: newId(),
    facilityId: FACILITY,
    patientId,
    unit: `U${n % 12}`,
    class: ENCOUNTER_CLASSES[n % ENCOUNTER_CLASSES.length]!,
    admissionType: 'elective',
    admittedAt: at,
    status: 'admitted',
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const task = newTask(
    {
      taskId: newId(),
      facilityId: FACILITY,
      encounterId: encounter.encounterId,
      type: 'needs-assessment',
      priority: 'routine',
      dueAt: at,
      resumesWorkflow: false,
    },
    new Date(at),
  );
  return { mrn, patient, encounter, task };
}

const stack = await startLocalStack({
  ports: { http: 0, stepFunctions: 0, dynamodb: 0 },
  functionLogLevel: 'ERROR',
  echoFunctionLogs: false,
});
try {
  await stack.streams.stop();
  const client = new DynamoDBClient({
    endpoint: stack.dynamodbUrl,
    region: stack.region,
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    maxAttempts: 10,
  });
  const tasks = taskStore(client, TABLE);
  const loaded: Loaded[] = [];

  /** Sends the requests 25 at a time, `LOAD_CONCURRENCY` batches at once, until none is left unprocessed. */
  async function writeInBatches(requests: WriteRequest[]): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: LOAD_CONCURRENCY }, async () => {
        while (next < requests.length) {
          let unprocessed: WriteRequest[] | undefined = requests.slice(next, (next += 25));
          while (unprocessed?.length) {
            const out: BatchWriteItemCommandOutput = await client.send(
              new BatchWriteItemCommand({ RequestItems: { [TABLE]: unprocessed } }),
            );
            unprocessed = out.UnprocessedItems?.[TABLE];
          }
        }
      }),
    );
  }

  /**
   * Stores `count` more synthetic patients, each with one stay and one open task: the items the
   * admission transaction and the workflow's task step write, built by the store's own write
   * builders (their conditions only guard against ids already taken, and every id here is new).
   */
  async function load(count: number): Promise<number> {
    const started = performance.now();
    const requests: WriteRequest[] = [];
    for (let n = loaded.length, end = loaded.length + count; n < end; n += 1) {
      const record = synthetic(n);
      const items = [...patientWrites(TABLE).create(record.patient), newEncounterPut(TABLE, record.encounter)].map(
        (write) => write.Put!.Item!,
      );
      items.push(tasks.openOnceWrite(record.task).Item);
      requests.push(...items.map((Item) => ({ PutRequest: { Item } })));
      loaded.push({
        patientId: record.patient.patientId,
        encounterId: record.encounter.encounterId,
        mrn: record.mrn,
        keys: items.map(({ pk, sk }) => ({ pk: pk!, sk: sk! })),
      });
    }
    await writeInBatches(requests);
    return Math.round(count / ((performance.now() - started) / 1000));
  }

  /** Deletes every patient loaded after the first `keep`. */
  async function unload(keep: number): Promise<void> {
    const gone = loaded.splice(keep);
    await writeInBatches(gone.flatMap((record) => record.keys.map((Key) => ({ DeleteRequest: { Key } }))));
  }

  const token = await mintLocalToken({ facilityId: FACILITY, clientId: 'bench', roles: ['care-manager'] });
  const routes: Record<string, (x: Loaded) => string> = {
    'GET /v1/patients/{id}': (x) => `/v1/patients/${x.patientId}`,
    'GET /v1/patients?identifier=': (x) => `/v1/patients?identifier=${encodeURIComponent(`urn:example:mrn|${x.mrn}`)}`,
    'GET /v1/patients/{id}/encounters': (x) => `/v1/patients/${x.patientId}/encounters`,
    'GET /v1/encounters/{id}': (x) => `/v1/encounters/${x.encounterId}`,
    'GET /v1/tasks?encounterId=': (x) => `/v1/tasks?encounterId=${x.encounterId}&status=open`,
  };

  /** p50 and p99 of each read, each request for a record picked at random from all loaded. */
  async function readAll(reads: number): Promise<Record<string, { p50: number; p99: number }>> {
    const result: Record<string, { p50: number; p99: number }> = {};
    for (const [route, pathOf] of Object.entries(routes)) {
      const call = async () => {
        const record = loaded[Math.floor(Math.random() * loaded.length)]!;
        const response = await fetch(`${stack.httpUrl}${pathOf(record)}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await response.json()) as { items?: unknown[] };
        if (response.status !== 200) throw new Error(`${route} answered ${response.status}`);
        if (body.items && body.items.length !== 1) throw new Error(`${route} found ${body.items.length} items, expected 1`);
      };
      const latencies = await measure(reads, CONCURRENCY, call);
      result[route] = { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
    }
    return result;
  }

  // The whole local stack keeps getting faster as it runs (JIT in every function instance and in
  // DynamoDB Local's JVM), whatever the table holds. So the small set is measured before and
  // after the large one (the extra patients deleted again) and the large set is compared with
  // their mean: an A-B-A design, so a steady drift cancels instead of flattering either size.
  const smallLoadRate = await load(SMALL);
  await readAll(WARM_UP_READS);
  const smallBefore = await readAll(READS_PER_ROUTE);
  const largeLoadRate = await load(LARGE - SMALL);
  await readAll(WARM_UP_READS);
  const large = await readAll(READS_PER_ROUTE);
  await unload(SMALL);
  await readAll(WARM_UP_READS);
  const smallAfter = await readAll(READS_PER_ROUTE);
  client.destroy();

  const rows = Object.keys(routes).map((route) => {
    const smallP50 = (smallBefore[route]!.p50 + smallAfter[route]!.p50) / 2;
    return {
      route,
      smallP50Before: smallBefore[route]!.p50,
      largeP50: large[route]!.p50,
      smallP50After: smallAfter[route]!.p50,
      ratioP50: Number((large[route]!.p50 / smallP50).toFixed(2)),
      smallP99Before: smallBefore[route]!.p99,
      largeP99: large[route]!.p99,
      smallP99After: smallAfter[route]!.p99,
    };
  });
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores, Node ${process.version}`,
    encounters: { small: SMALL, large: LARGE },
    itemsPerEncounter: 'patient, identifier, encounter, task',
    encountersLoadedPerSecond: { small: smallLoadRate, large: largeLoadRate },
    readsPerRoute: READS_PER_ROUTE,
    warmUpReadsPerRoute: WARM_UP_READS,
    concurrency: CONCURRENCY,
    rows,
    worstRatioP50: Math.max(...rows.map((r) => r.ratioP50)),
    target: TARGET_RATIO,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/reads-at-scale.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await stack.stop();
}
