import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createApp } from '../infra/app';
import { assertPortFree, PortInUseError } from './ports';
import { startLocalStack } from './stack';

/**
 * `npm start`: synthesize the app, then run the whole stack locally until Ctrl-C.
 *   --data DIR   keep DynamoDB data and Step Functions executions across restarts (default: in memory)
 * Ports: CAREPATH_HTTP_PORT (3000), CAREPATH_SFN_PORT (8083), CAREPATH_DYNAMODB_PORT (8000).
 */
const { values } = parseArgs({ options: { data: { type: 'string' } } });

// DynamoDB Local 3 needs Java 17+. `java -version` prints e.g. 'openjdk version "17.0.15"' on stderr.
const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
const javaMajor = Number(/version "(?:1\.)?(\d+)/.exec(`${java.stderr ?? ''}`)?.[1] ?? 0);
if (java.error || java.status !== 0 || javaMajor < 17) {
  console.error('Java 17+ is required to run DynamoDB Local: install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless).');
  process.exit(1);
}

const port = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number, got "${raw}"`);
    process.exit(1);
  }
  return value;
};
const ports = {
  http: port('CAREPATH_HTTP_PORT', 3000),
  stepFunctions: port('CAREPATH_SFN_PORT', 8083),
  dynamodb: port('CAREPATH_DYNAMODB_PORT', 8000),
};

// Before anything starts: a port in use (often an orphan of an earlier stack) is one line, not a stack trace.
for (const [name, value] of [
  ['CAREPATH_HTTP_PORT', ports.http],
  ['CAREPATH_SFN_PORT', ports.stepFunctions],
  ['CAREPATH_DYNAMODB_PORT', ports.dynamodb],
] as const) {
  try {
    await assertPortFree(value, name);
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

console.log('Synthesizing the CDK app…');
const { app, stack } = createApp();
app.synth();

const log = (line: string) => console.error(`[local] ${line}`);
const local = await startLocalStack({
  stackName: stack.stackName,
  ports,
  dataDir: values.data,
  functionLogLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
  log,
});

console.log(`
Carepath is running locally (${values.data ? `data kept in ${values.data}` : 'data in memory'}).
  HTTP API            ${local.httpUrl}
  Step Functions      ${local.stepFunctionsUrl}   (console: open it in a browser)
  DynamoDB Local      ${local.dynamodbUrl}
  State machines      ${local.stateMachines.map((m) => m.name).join(', ')}

Point the AWS SDK or CLI at it:
  export AWS_ENDPOINT_URL_SFN=${local.stepFunctionsUrl} AWS_ENDPOINT_URL_DYNAMODB=${local.dynamodbUrl}
  export AWS_REGION=${local.region} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local

Ctrl-C stops everything.`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  const force = setTimeout(() => process.exit(1), 10_000);
  await local.stop();
  clearTimeout(force);
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));
