import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalLambdaRuntime } from './lambda-runtime';
import type { LocalTemplate } from './template';
import { LOCAL_CREDENTIALS } from './dynamodb';
import { matchesFilterPattern } from './filter-pattern';

interface MappingConfig {
  logicalId: string;
  functionName: string;
  tableName: string;
  batchSize: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  maxRetries: number;
  reportBatchItemFailures: boolean;
  filters: unknown[];
}

interface DeadLetter {
  mapping: string;
  functionName: string;
  sequenceNumbers: string[];
  error: string;
  at: string;
}

/**
 * DynamoDB Streams → Lambda, as the AWS::Lambda::EventSourceMapping resources of the template
 * describe: batch size, starting position, filter criteria, retries, partial batch failures.
 * What exhausts its retries is kept in `deadLetters` (on AWS it goes to the on-failure queue).
 * With a data directory, the position in each shard is checkpointed so a restart does not
 * replay old records.
 */
export class LocalStreamPollers {
  readonly deadLetters: DeadLetter[] = [];
  private readonly mappings: MappingConfig[] = [];
  private readonly streams: DynamoDBStreamsClient;
  private readonly checkpoints: Record<string, string>;
  private running = false;
  private loops: Promise<void>[] = [];
  private wake: (() => void) | undefined;

  constructor(
    template: LocalTemplate,
    private readonly dynamodb: DynamoDBClient,
    private readonly lambdas: LocalLambdaRuntime,
    private readonly options: { endpoint: string; region: string; pollIntervalMs?: number; checkpointFile?: string; log?: (line: string) => void },
  ) {
    this.streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: options.region, credentials: LOCAL_CREDENTIALS });
    this.checkpoints =
      options.checkpointFile && existsSync(options.checkpointFile)
        ? (JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Record<string, string>)
        : {};
    for (const [logicalId] of template.ofType('AWS::Lambda::EventSourceMapping')) {
      const p = template.properties(logicalId) as Record<string, any>;
      const sourceArn = String(p.EventSourceArn ?? '');
      const tableLogicalId = template.logicalIdOfArn(sourceArn.replace(/\/stream\/local$/, ''));
      if (!sourceArn.includes(':dynamodb:') || !tableLogicalId) {
        options.log?.(`event source mapping ${logicalId}: only DynamoDB streams run locally; skipped`);
        continue;
      }
      this.mappings.push({
        logicalId,
        functionName: String(p.FunctionName),
        tableName: template.physicalName(tableLogicalId),
        batchSize: p.BatchSize ?? 100,
        startingPosition: p.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        maxRetries: p.MaximumRetryAttempts ?? 10,
        reportBatchItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
        filters: (p.FilterCriteria?.Filters ?? []).map((f: { Pattern: string }) => JSON.parse(f.Pattern)),
      });
    }
  }

  start(): void {
    this.running = true;
    this.loops = this.mappings.map((mapping) => this.run(mapping));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await Promise.allSettled(this.loops);
    this.streams.destroy();
  }

  /** Polls every shard of the table's stream until stopped. */
  private async run(mapping: MappingConfig): Promise<void> {
    const description = await this.dynamodb.send(new DescribeTableCommand({ TableName: mapping.tableName }));
    const streamArn = description.Table?.LatestStreamArn;
    if (!streamArn) {
      this.options.log?.(`table ${mapping.tableName} has no stream; mapping ${mapping.logicalId} idle`);
      return;
    }
    const iterators = new Map<string, string | undefined>();
    while (this.running) {
      try {
        const stream = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
        for (const shard of stream.StreamDescription?.Shards ?? []) {
          const shardId = shard.ShardId!;
          if (iterators.has(shardId)) continue;
          const checkpoint = this.checkpoints[`${mapping.logicalId}/${shardId}`];
          const iterator = await this.streams.send(
            new GetShardIteratorCommand({
              StreamArn: streamArn,
              ShardId: shardId,
              ...(checkpoint
                ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpoint }
                : { ShardIteratorType: mapping.startingPosition }),
            }),
          );
          iterators.set(shardId, iterator.ShardIterator);
        }
        let sawRecords = false;
        for (const [shardId, iterator] of iterators) {
          if (!iterator) continue;
          const out = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: mapping.batchSize }));
          iterators.set(shardId, out.NextShardIterator);
          const records = out.Records ?? [];
          if (records.length === 0) continue;
          sawRecords = true;
          await this.deliver(mapping, streamArn, records);
          this.checkpoint(`${mapping.logicalId}/${shardId}`, records[records.length - 1]!.dynamodb!.SequenceNumber!);
        }
        if (!sawRecords) await this.sleep(this.options.pollIntervalMs ?? 250);
      } catch (error) {
        if (!this.running) break;
        this.options.log?.(`stream poller ${mapping.logicalId}: ${(error as Error).name}: ${(error as Error).message}`);
        await this.sleep(1000);
      }
    }
  }

  /** Invokes the function with the filtered batch, retrying from the first failed record. */
  private async deliver(mapping: MappingConfig, streamArn: string, records: StreamRecord[]): Promise<void> {
    let batch = records
      .map((record) => toLambdaRecord(record, streamArn, this.options.region))
      .filter((record) => mapping.filters.length === 0 || mapping.filters.some((f) => matchesFilterPattern(f, record)));
    for (let attempt = 0; batch.length > 0; attempt++) {
      let failedFrom: string | undefined;
      let error = '';
      try {
        const result = (await this.lambdas.invoke(mapping.functionName, { Records: batch })) as {
          batchItemFailures?: Array<{ itemIdentifier: string }>;
        } | null;
        const failures = mapping.reportBatchItemFailures ? (result?.batchItemFailures ?? []) : [];
        if (failures.length === 0) return;
        failedFrom = failures.map((f) => f.itemIdentifier).sort()[0];
        error = 'partial batch failure';
      } catch (invokeError) {
        error = `${(invokeError as Error).name}: ${(invokeError as Error).message}`;
      }
      const index = failedFrom ? batch.findIndex((r) => r.dynamodb.SequenceNumber === failedFrom) : 0;
      batch = batch.slice(Math.max(0, index));
      if (attempt >= mapping.maxRetries || !this.running) {
        this.deadLetters.push({
          mapping: mapping.logicalId,
          functionName: mapping.functionName,
          sequenceNumbers: batch.map((r) => r.dynamodb.SequenceNumber!),
          error,
          at: new Date().toISOString(),
        });
        this.options.log?.(`stream batch for ${mapping.functionName} failed after ${attempt} retries: ${error}`);
        return;
      }
      await this.sleep(Math.min(200 * 2 ** attempt, 5000));
    }
  }

  private checkpoint(key: string, sequenceNumber: string): void {
    this.checkpoints[key] = sequenceNumber;
    if (this.options.checkpointFile) writeFileSync(this.options.checkpointFile, JSON.stringify(this.checkpoints));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** The record shape Lambda receives from a DynamoDB stream (epoch seconds, not Date). */
function toLambdaRecord(record: StreamRecord, streamArn: string, region: string) {
  const ddb = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: ddb.ApproximateCreationDateTime
        ? Math.floor(new Date(ddb.ApproximateCreationDateTime).getTime() / 1000)
        : undefined,
      Keys: ddb.Keys,
      NewImage: ddb.NewImage,
      OldImage: ddb.OldImage,
      SequenceNumber: ddb.SequenceNumber,
      SizeBytes: ddb.SizeBytes,
      StreamViewType: ddb.StreamViewType,
    },
  };
}

export const checkpointFileIn = (dataDir: string) => path.join(dataDir, 'stream-checkpoints.json');
