import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IamEnforcement } from './iam/enforcement';
import type { LocalLambdaRuntime } from './lambda-runtime';
import type { LocalTemplate } from './template';
import { matchesFilterPattern } from './filter-pattern';

interface MappingConfig {
  logicalId: string;
  functionName: string;
  tableName: string;
  /** The stream as the template names it (what the function's role is granted on). */
  streamArn: string;
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
  private readonly streams: StreamsApi;
  private readonly checkpoints: Record<string, string>;
  private running = false;
  private loops: Promise<void>[] = [];
  private wake: (() => void) | undefined;

  constructor(
    template: LocalTemplate,
    private readonly dynamodb: DynamoDBClient,
    private readonly lambdas: LocalLambdaRuntime,
    private readonly options: {
      endpoint: string;
      region: string;
      pollIntervalMs?: number;
      checkpointFile?: string;
      log?: (line: string) => void;
      /** When set, a mapping whose function role may not read the stream stays idle, as AWS refuses to enable it. */
      iam?: IamEnforcement;
    },
  ) {
    this.streams = new StreamsApi(options.endpoint, options.region);
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
        streamArn: sourceArn,
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
    this.loops = this.mappings.filter((mapping) => this.mayRead(mapping)).map((mapping) => this.run(mapping));
  }

  /**
   * Lambda polls a stream with the function's execution role, which needs dynamodb:DescribeStream,
   * GetRecords, GetShardIterator on the stream and ListStreams (Lambda developer guide, "Execution
   * role permissions" for DynamoDB); without them AWS does not enable the mapping. The denial is logged.
   */
  private mayRead(mapping: MappingConfig): boolean {
    const iam = this.options.iam;
    if (!iam) return true;
    const principal = iam.principalOfFunctionName(mapping.functionName);
    const denial = iam.authorize(principal, [
      ...['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'].map((action) => ({
        action,
        resource: mapping.streamArn,
      })),
      { action: 'dynamodb:ListStreams', resource: '*' },
    ]);
    if (denial)
      this.options.log?.(
        `event source mapping ${mapping.logicalId} not enabled: its function's role may not ${denial.action} on ${denial.resource}`,
      );
    return !denial;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await Promise.allSettled(this.loops);
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
        const stream = await this.streams.call<{ StreamDescription?: { Shards?: Array<{ ShardId: string }> } }>('DescribeStream', {
          StreamArn: streamArn,
        });
        for (const shard of stream.StreamDescription?.Shards ?? []) {
          const shardId = shard.ShardId;
          if (iterators.has(shardId)) continue;
          const checkpoint = this.checkpoints[`${mapping.logicalId}/${shardId}`];
          const iterator = await this.streams.call<{ ShardIterator?: string }>('GetShardIterator', {
            StreamArn: streamArn,
            ShardId: shardId,
            ...(checkpoint
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpoint }
              : { ShardIteratorType: mapping.startingPosition }),
          });
          iterators.set(shardId, iterator.ShardIterator);
        }
        let sawRecords = false;
        for (const [shardId, iterator] of iterators) {
          if (!iterator) continue;
          const out = await this.streams.call<{ Records?: StreamRecord[]; NextShardIterator?: string }>('GetRecords', {
            ShardIterator: iterator,
            Limit: mapping.batchSize,
          });
          iterators.set(shardId, out.NextShardIterator);
          const records = out.Records ?? [];
          if (records.length === 0) continue;
          sawRecords = true;
          // Stopping mid-batch: keep the position, so a restart with --data hands it over again.
          if (!(await this.deliver(mapping, streamArn, records))) break;
          this.checkpoint(`${mapping.logicalId}/${shardId}`, records[records.length - 1]!.dynamodb.SequenceNumber);
        }
        if (!sawRecords) await this.sleep(this.options.pollIntervalMs ?? 250);
      } catch (error) {
        if (!this.running) break;
        this.options.log?.(`stream poller ${mapping.logicalId}: ${(error as Error).name}`);
        await this.sleep(1000);
      }
    }
  }

  /**
   * Invokes the function with the filtered batch, retrying from the first failed record.
   * False when the stack stopped before the batch was handled (nothing is dead-lettered then).
   */
  private async deliver(mapping: MappingConfig, streamArn: string, records: StreamRecord[]): Promise<boolean> {
    let batch = records
      .map((record) => toLambdaRecord(record, streamArn, this.options.region))
      .filter((record) => mapping.filters.length === 0 || mapping.filters.some((f) => matchesFilterPattern(f, record)));
    for (let attempt = 0; ; attempt++) {
      if (batch.length === 0) return true;
      let failedFrom: string | undefined;
      let error = '';
      try {
        const result = (await this.lambdas.invoke(mapping.functionName, { Records: batch })) as {
          batchItemFailures?: Array<{ itemIdentifier: string }>;
        } | null;
        const failures = mapping.reportBatchItemFailures ? (result?.batchItemFailures ?? []) : [];
        if (failures.length === 0) return true;
        // Sequence numbers are decimal strings of varying length: compare them as numbers.
        const ids = failures.map((f) => f.itemIdentifier).filter((id) => /^\d+$/.test(id));
        failedFrom = ids.length ? ids.reduce((lowest, id) => (BigInt(id) < BigInt(lowest) ? id : lowest)) : undefined;
        error = 'partial batch failure';
      } catch (invokeError) {
        error = (invokeError as Error).name;
      }
      const index = failedFrom ? batch.findIndex((r) => r.dynamodb.SequenceNumber === failedFrom) : 0;
      batch = batch.slice(Math.max(0, index));
      if (!this.running) return false;
      if (attempt >= mapping.maxRetries) {
        this.deadLetters.push({
          mapping: mapping.logicalId,
          functionName: mapping.functionName,
          sequenceNumbers: batch.map((r) => r.dynamodb.SequenceNumber!),
          error,
          at: new Date().toISOString(),
        });
        this.options.log?.(`stream batch for ${mapping.functionName} failed after ${attempt} retries: ${error}`);
        return true;
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

/** A stream record exactly as the wire carries it: Lambda receives this JSON unchanged. */
interface StreamRecord {
  eventID: string;
  eventName: string;
  dynamodb: { SequenceNumber: string; [key: string]: unknown };
}

/**
 * The DynamoDB Streams JSON API, called without the SDK on purpose: the SDK's deserializer turns
 * an empty map attribute ({"M":{}}) into {}, which Lambda never sees and unmarshall rejects.
 * DynamoDB Local does not check signatures; the header only has to be well formed.
 */
class StreamsApi {
  constructor(
    private readonly endpoint: string,
    private readonly region: string,
  ) {}

  async call<T>(operation: string, body: Record<string, unknown>): Promise<T> {
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
        authorization: `AWS4-HMAC-SHA256 Credential=local/${date}/${this.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=local`,
      },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as T & { __type?: string };
    if (!response.ok) {
      const error = new Error(`DynamoDB Streams ${operation} failed`);
      error.name = String(json.__type ?? 'StreamsError')
        .split('#')
        .pop()!;
      throw error;
    }
    return json;
  }
}

/**
 * DynamoDB Local writes an empty map attribute into stream images as {} instead of {"M":{}}
 * (seen with DynamoDB Local 3.3; the table itself stores it correctly). An attribute value is
 * never legitimately {}, so put the map back, as DynamoDB Streams on AWS delivers it.
 */
export function repairAttributeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const av = value as Record<string, unknown>;
  const keys = Object.keys(av);
  if (keys.length === 0) return { M: {} };
  if ('M' in av) return { M: repairImage(av.M as Record<string, unknown>) };
  if ('L' in av) return { L: (av.L as unknown[]).map(repairAttributeValue) };
  return av;
}

function repairImage(image: Record<string, unknown> | undefined) {
  return image && Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repairAttributeValue(v)]));
}

/** The record shape Lambda receives from a DynamoDB stream. */
function toLambdaRecord(record: StreamRecord, streamArn: string, region: string) {
  const { NewImage, OldImage, ...rest } = record.dynamodb;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...rest,
      SequenceNumber: record.dynamodb.SequenceNumber,
      ...(NewImage ? { NewImage: repairImage(NewImage as Record<string, unknown>) } : {}),
      ...(OldImage ? { OldImage: repairImage(OldImage as Record<string, unknown>) } : {}),
    },
  };
}

export const checkpointFileIn = (dataDir: string) => path.join(dataDir, 'stream-checkpoints.json');
