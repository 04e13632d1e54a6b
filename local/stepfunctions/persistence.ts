/**
 * Executions on disk, for a local stack started with `--data DIR`: one JSON file per execution
 * under DIR/stepfunctions/executions/<state machine>/<name>.json, so a restart lists what ran and
 * resumes what was running (./service.ts `restore`). Each write goes to a temporary file first and
 * is renamed over the old one: a process killed mid-write leaves the previous version, never half
 * a file. Local-only; AWS keeps executions itself.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';

/** Bumped when the shape changes; files of another version are skipped with a log line. */
export const STORED_EXECUTION_VERSION = 1;

export interface StoredExecution {
  version: typeof STORED_EXECUTION_VERSION;
  /** Start order, so ListExecutions stays newest first across restarts. */
  seq: number;
  arn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  input: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: string;
  /** History events, timestamps as ISO strings. */
  events: HistoryEvent[];
  /**
   * While a `.waitForTaskToken` task waits for its answer (its function has returned): the tokens
   * it handed out and its deadline. A restart waits on the same tokens, so the answer a person
   * gives with a token stored before the restart still reaches the execution.
   */
  pause?: { stateName: string; tokens: string[]; dueAt?: string };
}

export class ExecutionStore {
  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Where a data directory keeps its executions. */
  static in(dataDir: string, log?: (line: string) => void): ExecutionStore {
    return new ExecutionStore(path.join(dataDir, 'stepfunctions', 'executions'), log);
  }

  save(record: StoredExecution): void {
    const file = this.fileOf(record.stateMachineName, record.name);
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(record));
    renameSync(temporary, file);
  }

  /** Every stored execution; a file that cannot be read is named in the log and left where it is. */
  loadAll(): StoredExecution[] {
    const records: StoredExecution[] = [];
    for (const machineDir of readdirSync(this.dir, { withFileTypes: true })) {
      if (!machineDir.isDirectory()) continue;
      const folder = path.join(this.dir, machineDir.name);
      for (const entry of readdirSync(folder)) {
        if (!entry.endsWith('.json')) continue;
        const file = path.join(folder, entry);
        try {
          const record = JSON.parse(readFileSync(file, 'utf8')) as StoredExecution;
          if (record.version !== STORED_EXECUTION_VERSION) {
            this.log(`skipped ${file}: stored execution version ${String(record.version)}, this service reads ${STORED_EXECUTION_VERSION}`);
            continue;
          }
          record.events = record.events.map((event) => ({ ...event, timestamp: new Date(event.timestamp as unknown as string) }));
          records.push(record);
        } catch (error) {
          this.log(`skipped ${file}: ${(error as Error).message}`);
        }
      }
    }
    return records.sort((a, b) => a.seq - b.seq);
  }

  private fileOf(machineName: string, executionName: string): string {
    // Execution names are [A-Za-z0-9_-] (checked at start); state machine names are encoded to stay one path segment.
    return path.join(this.dir, encodeURIComponent(machineName), `${executionName}.json`);
  }
}
