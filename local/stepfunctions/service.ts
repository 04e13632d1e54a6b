/**
 * Local emulation of AWS Step Functions.
 *
 * State machines run in-process on the `aws-local-stepfunctions` interpreter; this module adds what
 * the interpreter lacks and the Step Functions API needs: named executions with ARNs and statuses,
 * task tokens (`.waitForTaskToken` + SendTask*), service integrations (Lambda, DynamoDB), and an
 * AWS-shaped execution history. Request/response shapes follow @aws-sdk/client-sfn (dates as Date);
 * ./server.ts puts it on the wire.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { installLongTimers } from './long-timers';
import { ExecutionStore, STORED_EXECUTION_VERSION, type StoredExecution } from './persistence';
import type { IamEnforcement } from '../iam/enforcement';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  type GetItemCommandInput,
  type PutItemCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type {
  DescribeExecutionInput,
  DescribeExecutionOutput,
  DescribeStateMachineInput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  GetExecutionHistoryInput,
  GetExecutionHistoryOutput,
  HistoryEvent,
  HistoryEventType,
  ListExecutionsInput,
  ListExecutionsOutput,
  ListStateMachinesInput,
  ListStateMachinesOutput,
  LoggingConfiguration,
  SendTaskFailureInput,
  SendTaskFailureOutput,
  SendTaskHeartbeatInput,
  SendTaskHeartbeatOutput,
  SendTaskSuccessInput,
  SendTaskSuccessOutput,
  StartExecutionInput,
  StartExecutionOutput,
  StopExecutionInput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { ExecutionError, ExecutionTimeoutError, StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';

export interface LocalStateMachineConfig {
  name: string;
  arn: string;
  /** Already-resolved ASL JSON (JSONPath query language only). */
  definition: Record<string, unknown>;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  loggingConfiguration?: unknown;
  tracingConfiguration?: { enabled?: boolean };
}

export interface LocalStepFunctionsOptions {
  region: string;
  accountId: string;
  /** Invokes a Lambda function by ARN with a JSON payload; resolves with its JSON result; rejects with an Error whose `name` is the Lambda errorType and `message` the errorMessage. */
  invokeLambda: (functionArn: string, payload: unknown) => Promise<unknown>;
  dynamodb: DynamoDBClient;
  log?: (line: string) => void;
  /**
   * Local-only knob: if set, every `Retry` pause lasts this many milliseconds instead of
   * IntervalSeconds × BackoffRate^attempt (ASL forbids IntervalSeconds < 1, which makes tests slow).
   */
  retryIntervalMs?: number;
  /**
   * Called on every status change (started, redriven, ended) with the detail of the "Step
   * Functions Execution Status Change" event AWS sends to EventBridge.
   */
  onStatusChange?: (detail: ExecutionStatusChange) => void;
  /** When set, every service integration is authorized against the state machine's role first, as on AWS. */
  iam?: IamEnforcement;
  /**
   * Keep executions here (DIR/stepfunctions/…) across restarts: `restore()` lists the finished ones
   * again and resumes the running ones. In memory when absent.
   */
  dataDir?: string;
}

/** The `detail` of EventBridge's "Step Functions Execution Status Change" event. */
export interface ExecutionStatusChange {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate: number | null;
  input: string;
  inputDetails: { included: true };
  output: string | null;
  outputDetails: { included: true } | null;
  error: string | null;
  cause: string | null;
  redriveCount: number;
  redriveDate: number | null;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
}

/** An API error; `type` is the AWS error code (`__type` on the wire), e.g. 'ExecutionDoesNotExist'. */
export class SfnApiError extends Error {
  constructor(
    public type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

// The interpreter does not export these; derive them from what it does export.
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type Json = Parameters<TaskHandlers[string]>[0];
type RunHandle = ReturnType<StateMachine['run']>;
type EventLog = RunHandle['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** The Parameters field that carries a TimeoutSecondsPath value locally (see the Task patch below). */
const LOCAL_TIMEOUT_FIELD = 'LocalTimeoutSeconds';

/** Node timers overflow above 2^31-1 ms and then fire at once, so no timeout may exceed this. */
const MAX_TIMER_SECONDS = 2_147_483;
/** AWS's default Task timeout is the execution's (1 year); the interpreter's would be 60 s. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:[^:]+(:[^:]+)?$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:(execution|express):[^:]+:[^:]+(:[^:]+)?$/;
const TOKEN_PREFIX = 'sfnlocal-';
/** Well-formed tokens we no longer know are answered TaskTimedOut (as AWS does for closed tokens); others InvalidToken. */
const TOKEN_FORMAT = /^sfnlocal-[A-Za-z0-9_-]{64}$/;
const MAX_REMEMBERED_TOKENS = 200_000;
const DYNAMODB_ACTIONS = ['putItem', 'getItem', 'updateItem', 'deleteItem'] as const;
type DynamoAction = (typeof DYNAMODB_ACTIONS)[number];

/** How a Task state's Resource is carried out locally. */
type TaskSpec =
  | { kind: 'lambda:invoke'; resource: string }
  /** timeoutSeconds: the state's static TimeoutSeconds (after patching); undefined with TimeoutSecondsPath. */
  | { kind: 'lambda:invoke.waitForTaskToken'; resource: string; timeoutSeconds?: number }
  | { kind: 'lambda:function'; resource: string }
  | { kind: 'dynamodb'; resource: string; action: DynamoAction }
  /** The request-response StartExecution integration: one workflow starting another. */
  | { kind: 'states:startExecution'; resource: string };

interface RegisteredMachine {
  cfg: LocalStateMachineConfig;
  /** The definition as prepared for the interpreter (a redrive starts a copy at the failed state). */
  definition: Record<string, unknown>;
  stateMachine: StateMachine;
  tasks: Map<string, TaskSpec>;
  retryIntervalOverrides: Record<string, number>;
  creationDate: Date;
}

interface Waiter {
  tokens: string[];
  /** The state waiting (for the local time-out control). */
  stateName: string;
  resolve: (value: Json) => void;
  reject: (error: Error) => void;
}

interface ExecutionRecord {
  seq: number;
  arn: string;
  name: string;
  machine: RegisteredMachine;
  input: string;
  startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  /** Open tokens minted for this execution (claimed by a waiting task or not). */
  tokens: Set<string>;
  /** Set as soon as the run is over or being stopped: task handlers then refuse to start work. */
  ended: boolean;
  stopRequest?: { error?: string; cause?: string };
  abort: () => void;
  /** Seen in the interpreter's event log; tells an abort/timeout apart from a real `null` result. */
  sawAbort: boolean;
  sawTimeout: boolean;
  /** Resolves once status, output and history are final. */
  done: Promise<void>;
  redriveCount: number;
  redriveDate?: Date;
  /** A `.waitForTaskToken` task whose function has returned and which waits for its answer (persisted). */
  pause?: { stateName: string; tokens: string[]; dueAt?: Date };
  /** After a restart: the waiting task to take up again, on the tokens it handed out before. */
  resume?: { stateName: string; tokens: string[]; callback: Promise<Json>; timer?: ReturnType<typeof setTimeout> };
  /** After a restart: the state resumed was entered before; its second StateEntered is not history. */
  skipEntered?: string;
  saveQueued?: boolean;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class LocalStepFunctions {
  private readonly machines = new Map<string, RegisteredMachine>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly tokens = new Map<string, { exec: ExecutionRecord; waiter?: Waiter }>();
  /**
   * Token → state machine ARN, kept after the token closes: SendTask* are authorized on the token's
   * state machine, also when the answer comes too late (then TaskTimedOut, not AccessDenied).
   */
  private readonly tokenMachines = new Map<string, string>();
  private seq = 0;
  private closed = false;
  private readonly store: ExecutionStore | undefined;
  /** Set by checkpoint(): what the shutdown does to executions is not what a restart resumes from. */
  private frozen = false;

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    installLongTimers();
    this.store = opts.dataDir ? ExecutionStore.in(opts.dataDir, (line) => this.log(line)) : undefined;
  }

  /**
   * With a data directory: brings back the executions kept there, after the state machines are
   * registered. Finished ones answer Describe, List and GetExecutionHistory as before; running ones
   * go on from the top-level state they were in, with that state's input: a task waiting for a
   * person waits on the tokens it handed out (its deadline kept), a Wait ends when it was due, and
   * any other state runs again (at least once, as a retry would). A Map or Parallel runs again
   * whole, so a person's task inside one gets a new token.
   */
  async restore(): Promise<void> {
    if (!this.store) return;
    const resumable: Array<{ exec: ExecutionRecord; pause?: StoredExecution['pause'] }> = [];
    for (const stored of this.store.loadAll()) {
      const machine = this.machines.get(stored.stateMachineArn);
      if (!machine) {
        this.log(`kept execution ${stored.arn} not restored: its state machine is not in the template`);
        continue;
      }
      if (this.executions.has(stored.arn)) continue;
      const exec: ExecutionRecord = {
        seq: stored.seq,
        arn: stored.arn,
        name: stored.name,
        machine,
        input: stored.input,
        startDate: new Date(stored.startDate),
        status: stored.status,
        ...(stored.stopDate ? { stopDate: new Date(stored.stopDate) } : {}),
        ...(stored.output !== undefined ? { output: stored.output } : {}),
        ...(stored.error !== undefined ? { error: stored.error } : {}),
        ...(stored.cause !== undefined ? { cause: stored.cause } : {}),
        events: stored.events,
        tokens: new Set(),
        ended: stored.status !== 'RUNNING',
        abort: () => undefined,
        sawAbort: false,
        sawTimeout: false,
        done: Promise.resolve(),
        redriveCount: stored.redriveCount,
        ...(stored.redriveDate ? { redriveDate: new Date(stored.redriveDate) } : {}),
      };
      this.seq = Math.max(this.seq, stored.seq);
      this.executions.set(exec.arn, exec);
      if (exec.status === 'RUNNING') resumable.push({ exec, pause: stored.pause });
    }
    for (const { exec, pause } of resumable) this.resume(exec, pause);
    this.log(`restored ${this.executions.size} execution(s), ${resumable.length} running`);
  }

  /**
   * Writes every execution as it stands and stops writing: what a restart resumes from. The stack
   * calls it before its functions stop, so failures caused by the shutdown are never kept.
   */
  checkpoint(): void {
    if (!this.store || this.frozen) return;
    for (const exec of this.executions.values()) {
      if (exec.saveQueued || exec.status === 'RUNNING') this.saveNow(exec);
    }
    this.frozen = true;
  }

  private resume(exec: ExecutionRecord, pause: StoredExecution['pause']): void {
    const definition = exec.machine.definition;
    const states = definition.States as Record<string, Record<string, unknown>>;
    const point = resumePoint(exec.events, states, exec.input, String(definition.StartAt));
    if (point.kind === 'succeeded') {
      this.endRestored(exec, { ok: true, value: point.output });
      return;
    }
    const state = states[point.name];
    if (!state) {
      this.endRestored(exec, {
        ok: false,
        error: terminalError(`Cannot resume after a restart: state '${point.name}' is no longer in the definition`),
      });
      return;
    }
    const restart: Record<string, unknown> = { ...definition, StartAt: point.name };
    if (typeof definition.TimeoutSeconds === 'number') {
      const left = exec.startDate.getTime() + definition.TimeoutSeconds * 1000 - Date.now();
      restart.TimeoutSeconds = Math.max(1, Math.ceil(left / 1000));
    }
    if (point.enteredAt) exec.skipEntered = point.name;
    let waitTimeOverrides: Record<string, number> | undefined;
    if (state.Type === 'Wait' && point.enteredAt) {
      const seconds = relativeWaitSeconds(state, point.input);
      if (seconds !== undefined) {
        // Read once: if the run comes back to this Wait later, that wait is a full one again.
        let remaining: number | undefined = Math.max(0, point.enteredAt.getTime() + seconds * 1000 - Date.now());
        waitTimeOverrides = {};
        Object.defineProperty(waitTimeOverrides, point.name, {
          enumerable: true,
          get: () => {
            const value = remaining;
            remaining = undefined;
            return value;
          },
        });
      }
      // Timestamp and TimestampPath are absolute: running the Wait again ends when it was due.
    }
    if (
      pause &&
      pause.stateName === point.name &&
      point.enteredAt &&
      exec.machine.tasks.get(point.name)?.kind === 'lambda:invoke.waitForTaskToken'
    ) {
      this.rearmPause(exec, pause);
    }
    const stateMachine = new StateMachine(restart as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    this.launch(exec, stateMachine, point.input, waitTimeOverrides);
    this.log(`execution resumed at '${point.name}' ${exec.arn}`);
  }

  /** The waiting task of a restored execution listens on its old tokens again, from now on. */
  private rearmPause(exec: ExecutionRecord, pause: NonNullable<StoredExecution['pause']>): void {
    const dueAt = pause.dueAt ? new Date(pause.dueAt) : undefined;
    let waiter!: Waiter;
    const callback = new Promise<Json>((resolve, reject) => {
      waiter = { tokens: pause.tokens, stateName: pause.stateName, resolve, reject };
    });
    callback.catch(() => undefined); // may settle before the resumed run reaches the state
    for (const token of pause.tokens) {
      this.tokens.set(token, { exec, waiter });
      this.tokenMachines.set(token, exec.machine.cfg.arn);
      exec.tokens.add(token);
    }
    // The deadline counts from when the task began, not from the restart; one passed while the
    // service was down times the task out at once, and its Catch runs.
    const timer = dueAt
      ? setTimeout(
          () => {
            if (!this.tokens.get(pause.tokens[0]!)) return;
            this.forgetTokens(pause.tokens);
            waiter.reject(namedError('States.Timeout', `${pause.stateName} timed out`));
          },
          Math.max(0, dueAt.getTime() - Date.now()),
        )
      : undefined;
    exec.pause = { stateName: pause.stateName, tokens: pause.tokens, ...(dueAt ? { dueAt } : {}) };
    exec.resume = { stateName: pause.stateName, tokens: pause.tokens, callback, ...(timer ? { timer } : {}) };
  }

  /** A restored execution that ended without running again (its last state had finished, or it cannot go on). */
  private endRestored(exec: ExecutionRecord, outcome: Outcome): void {
    exec.done = Promise.resolve().then(() => this.finish(exec, outcome));
  }

  private clearPause(exec: ExecutionRecord, tokens: readonly string[]): void {
    if (exec.pause && exec.pause.tokens[0] === tokens[0]) {
      delete exec.pause;
      this.saveNow(exec);
    }
  }

  private scheduleSave(exec: ExecutionRecord): void {
    if (!this.store || this.frozen || exec.saveQueued) return;
    exec.saveQueued = true;
    // History grows by many events per step: one write per turn of the event loop, not per event.
    setImmediate(() => {
      if (exec.saveQueued) this.saveNow(exec);
    });
  }

  private saveNow(exec: ExecutionRecord): void {
    exec.saveQueued = false;
    if (!this.store || this.frozen) return;
    const record: StoredExecution = {
      version: STORED_EXECUTION_VERSION,
      seq: exec.seq,
      arn: exec.arn,
      name: exec.name,
      stateMachineArn: exec.machine.cfg.arn,
      stateMachineName: exec.machine.cfg.name,
      input: exec.input,
      status: exec.status,
      startDate: exec.startDate.toISOString(),
      ...(exec.stopDate ? { stopDate: exec.stopDate.toISOString() } : {}),
      ...(exec.output !== undefined ? { output: exec.output } : {}),
      ...(exec.error !== undefined ? { error: exec.error } : {}),
      ...(exec.cause !== undefined ? { cause: exec.cause } : {}),
      redriveCount: exec.redriveCount,
      ...(exec.redriveDate ? { redriveDate: exec.redriveDate.toISOString() } : {}),
      events: exec.events,
      ...(exec.pause
        ? {
            pause: {
              stateName: exec.pause.stateName,
              tokens: exec.pause.tokens,
              ...(exec.pause.dueAt ? { dueAt: exec.pause.dueAt.toISOString() } : {}),
            },
          }
        : {}),
    };
    try {
      this.store.save(record);
    } catch (error) {
      this.log(`could not keep execution ${exec.arn}: ${(error as Error).message}`);
    }
  }

  /** Builds the interpreter's StateMachine once: definition validation is slow (~100 ms). */
  registerStateMachine(cfg: LocalStateMachineConfig): void {
    const { definition, tasks, retryIntervalOverrides } = prepareDefinition(cfg, this.opts.retryIntervalMs);
    const stateMachine = new StateMachine(definition as unknown as StateMachineDefinition);
    const previous = this.machines.get(cfg.arn);
    this.machines.set(cfg.arn, {
      cfg,
      definition: definition as Record<string, unknown>,
      stateMachine,
      tasks,
      retryIntervalOverrides,
      creationDate: previous?.creationDate ?? new Date(),
    });
  }

  // ---------------------------------------------------------------- executions

  async startExecution(input: StartExecutionInput): Promise<StartExecutionOutput> {
    if (this.closed) throw new Error('LocalStepFunctions has been closed');
    const machine = this.getMachine(input.stateMachineArn);
    const name = input.name ?? randomUUID();
    if (typeof name !== 'string' || !EXECUTION_NAME.test(name)) {
      throw new SfnApiError('InvalidName', `Invalid Name: '${String(name)}'`);
    }
    const inputJson = input.input ?? '{}';
    let parsedInput: unknown;
    try {
      if (typeof inputJson !== 'string') throw new TypeError('input must be a string');
      parsedInput = JSON.parse(inputJson);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
    }

    const arn = `arn:aws:states:${this.opts.region}:${this.opts.accountId}:execution:${machine.cfg.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // Standard workflows are idempotent on (name, input) while the first execution is still running.
      if (existing.status === 'RUNNING' && existing.input === inputJson) {
        return { executionArn: existing.arn, startDate: existing.startDate };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }

    const startDate = new Date();
    const exec: ExecutionRecord = {
      seq: ++this.seq,
      arn,
      name,
      machine,
      input: inputJson,
      startDate,
      status: 'RUNNING',
      events: [],
      tokens: new Set(),
      ended: false,
      abort: () => undefined,
      sawAbort: false,
      sawTimeout: false,
      done: Promise.resolve(),
      redriveCount: 0,
    };
    this.executions.set(arn, exec);
    this.pushEvent(exec, 'ExecutionStarted', startDate, {
      executionStartedEventDetails: { input: inputJson, inputDetails: { truncated: false }, roleArn: machine.cfg.roleArn },
    });

    // Written before anyone learns the ARN: a started execution is never lost to a restart.
    this.saveNow(exec);
    this.launch(exec, machine.stateMachine, parsedInput as Json);
    this.log(`execution started ${arn}`);
    this.announce(exec);
    return { executionArn: arn, startDate };
  }

  /**
   * RedriveExecution: a failed, timed-out or aborted execution goes on from the top-level state
   * that did not complete, with the input that state had; the states before it are not run again,
   * and the execution keeps its ARN and history (ExecutionRedriven marks the restart). A Map or
   * Parallel state runs again whole (AWS reruns only its unsuccessful iterations and branches).
   */
  async redriveExecution(input: { executionArn?: string; clientToken?: string }): Promise<{ redriveDate: Date }> {
    const exec = this.getExecution(input.executionArn);
    if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(exec.status)) {
      throw new SfnApiError(
        'ExecutionNotRedrivable',
        `Execution ${exec.arn} is ${exec.status}: only failed, timed-out or aborted executions can be redriven`,
      );
    }
    const unfinished = unfinishedTopLevelState(exec.events, Object.keys(exec.machine.definition.States as Record<string, unknown>));
    if (!unfinished) throw new SfnApiError('ExecutionNotRedrivable', `Execution ${exec.arn} has no unsuccessful state to redrive from`);
    // The states before the restart point are unreachable from it now: that is the point, not a defect.
    const restart = new StateMachine({ ...exec.machine.definition, StartAt: unfinished.name } as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    Object.assign(exec, {
      status: 'RUNNING',
      ended: false,
      sawAbort: false,
      sawTimeout: false,
      redriveCount: exec.redriveCount + 1,
      redriveDate: new Date(),
    });
    for (const key of ['stopDate', 'output', 'error', 'cause', 'stopRequest'] as const) delete exec[key];
    this.pushEvent(exec, 'ExecutionRedriven', exec.redriveDate!, { executionRedrivenEventDetails: { redriveCount: exec.redriveCount } });
    this.saveNow(exec);
    this.launch(exec, restart, unfinished.input);
    this.log(`execution redriven from '${unfinished.name}' ${exec.arn}`);
    this.announce(exec);
    return { redriveDate: exec.redriveDate! };
  }

  /** Runs (or runs again, on a redrive) an execution's state machine with its context and task handlers. */
  private launch(exec: ExecutionRecord, stateMachine: StateMachine, parsedInput: Json, waitTimeOverrides?: Record<string, number>): void {
    const { arn, name, machine, startDate } = exec;
    const mintToken = () => this.mintToken(exec);
    const context = {
      Execution: {
        Id: arn,
        Name: name,
        Input: JSON.parse(exec.input) as Json,
        StartTime: startDate.toISOString(),
        RoleArn: machine.cfg.roleArn,
        RedriveCount: exec.redriveCount,
      },
      StateMachine: { Id: machine.cfg.arn, Name: machine.cfg.name },
      // The interpreter evaluates `$$.Task.Token` each time it processes a state's Parameters, so a
      // getter hands every Task entry (and every retry attempt) a fresh token, as AWS does.
      Task: {
        get Token() {
          return mintToken();
        },
      },
    };
    // Note: run() synchronously enters the first state, so invokeLambda may be called before this returns.
    const run = stateMachine.run(parsedInput, {
      overrides: {
        taskResourceLocalHandlers: this.buildTaskHandlers(exec),
        retryIntervalOverrides: machine.retryIntervalOverrides,
        ...(waitTimeOverrides ? { waitTimeOverrides } : {}),
      },
      context,
      noThrowOnAbort: true,
    });
    exec.abort = run.abort;
    const outcome = run.result.then(
      (value): Outcome => {
        this.endExecution(exec);
        return { ok: true, value };
      },
      (error: unknown): Outcome => {
        this.endExecution(exec);
        return { ok: false, error };
      },
    );
    // The event log closes right when the run settles; waiting for both keeps history and status consistent.
    exec.done = Promise.all([outcome, this.consumeEvents(exec, run.eventLogs)]).then(([o]) => this.finish(exec, o));
  }

  async describeExecution(input: DescribeExecutionInput): Promise<DescribeExecutionOutput> {
    const exec = this.getExecution(input.executionArn);
    return {
      executionArn: exec.arn,
      stateMachineArn: exec.machine.cfg.arn,
      name: exec.name,
      status: exec.status,
      startDate: exec.startDate,
      stopDate: exec.stopDate,
      input: exec.input,
      inputDetails: { included: true },
      output: exec.output,
      outputDetails: exec.output === undefined ? undefined : { included: true },
      error: exec.error,
      cause: exec.cause,
      redriveCount: exec.redriveCount,
      ...(exec.redriveDate ? { redriveDate: exec.redriveDate } : {}),
      redriveStatus: ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(exec.status) ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
    };
  }

  async stopExecution(input: StopExecutionInput): Promise<StopExecutionOutput> {
    const exec = this.getExecution(input.executionArn);
    if (exec.status === 'RUNNING' && !exec.stopRequest) {
      exec.stopRequest = { error: input.error, cause: input.cause };
      this.endExecution(exec);
      exec.abort();
    }
    await exec.done;
    return { stopDate: exec.stopDate ?? new Date() };
  }

  async listExecutions(input: ListExecutionsInput): Promise<ListExecutionsOutput> {
    const machine = this.getMachine(input.stateMachineArn);
    const limit = pageSize(input.maxResults, 100);
    const after = input.nextToken ? decodePageToken(input.nextToken, 'executions') : Infinity;
    const matching = [...this.executions.values()]
      .filter((e) => e.machine.cfg.arn === machine.cfg.arn && e.seq < after)
      .filter((e) => !input.statusFilter || e.status === input.statusFilter)
      .sort((a, b) => b.seq - a.seq); // newest first, like AWS
    const page = matching.slice(0, limit);
    const executions: ExecutionListItem[] = page.map((e) => ({
      executionArn: e.arn,
      stateMachineArn: e.machine.cfg.arn,
      name: e.name,
      status: e.status,
      startDate: e.startDate,
      stopDate: e.stopDate,
    }));
    const last = page.at(-1);
    return { executions, nextToken: matching.length > limit && last ? encodePageToken('executions', last.seq) : undefined };
  }

  async getExecutionHistory(input: GetExecutionHistoryInput): Promise<GetExecutionHistoryOutput> {
    const exec = this.getExecution(input.executionArn);
    const limit = pageSize(input.maxResults, 1000);
    const ordered = input.reverseOrder ? [...exec.events].reverse() : exec.events;
    let start = 0;
    if (input.nextToken) {
      // The token is the id of the last event returned; events are only ever appended, so this is stable.
      const lastId = decodePageToken(input.nextToken, 'history');
      start = ordered.findIndex((e) => e.id === lastId) + 1;
      if (start === 0) throw new SfnApiError('InvalidToken', 'Invalid Token: unknown nextToken');
    }
    const page = ordered.slice(start, start + limit);
    const last = page.at(-1);
    const more = start + limit < ordered.length;
    const includeData = input.includeExecutionData ?? true;
    return {
      events: page.map((e) => (includeData ? structuredClone(e) : withoutExecutionData(e))),
      nextToken: more && last?.id !== undefined ? encodePageToken('history', last.id) : undefined,
    };
  }

  /** Name of the most recently entered state that has not exited yet (undefined once the execution ended). */
  getCurrentState(executionArn: string): string | undefined {
    return currentState(this.getExecution(executionArn).events);
  }

  // ------------------------------------------------------------ state machines

  async listStateMachines(input: ListStateMachinesInput = {}): Promise<ListStateMachinesOutput> {
    const all = [...this.machines.values()];
    const limit = pageSize(input.maxResults, 100);
    const start = input.nextToken ? decodePageToken(input.nextToken, 'machines') : 0;
    const page = all.slice(start, start + limit);
    return {
      stateMachines: page.map((m) => ({
        stateMachineArn: m.cfg.arn,
        name: m.cfg.name,
        type: m.cfg.type,
        creationDate: m.creationDate,
      })),
      nextToken: start + limit < all.length ? encodePageToken('machines', start + limit) : undefined,
    };
  }

  async describeStateMachine(input: DescribeStateMachineInput): Promise<DescribeStateMachineOutput> {
    const { cfg, creationDate } = this.getMachine(input.stateMachineArn);
    return {
      stateMachineArn: cfg.arn,
      name: cfg.name,
      status: 'ACTIVE',
      definition: JSON.stringify(cfg.definition), // the definition as registered, not our patched copy
      roleArn: cfg.roleArn,
      type: cfg.type,
      creationDate,
      loggingConfiguration: (cfg.loggingConfiguration as LoggingConfiguration | undefined) ?? {
        level: 'OFF',
        includeExecutionData: false,
      },
      tracingConfiguration: { enabled: cfg.tracingConfiguration?.enabled ?? false },
    };
  }

  // --------------------------------------------------------------- task tokens

  async sendTaskSuccess(input: SendTaskSuccessInput): Promise<SendTaskSuccessOutput> {
    const token = requireString(input.taskToken, 'taskToken');
    let output: Json;
    try {
      output = JSON.parse(requireString(input.output, 'output')) as Json;
    } catch (err) {
      if (err instanceof SfnApiError) throw err;
      throw new SfnApiError('InvalidOutput', 'Invalid Output: not valid JSON');
    }
    this.takeWaiter(token).resolve(output);
    return {};
  }

  async sendTaskFailure(input: SendTaskFailureInput): Promise<SendTaskFailureOutput> {
    const waiter = this.takeWaiter(requireString(input.taskToken, 'taskToken'));
    // Error/Cause become the state's error, matched by Retry/Catch like any other.
    waiter.reject(namedError(input.error ?? 'States.TaskFailed', input.cause ?? ''));
    return {};
  }

  async sendTaskHeartbeat(input: SendTaskHeartbeatInput): Promise<SendTaskHeartbeatOutput> {
    // HeartbeatSeconds is not enforced locally (the interpreter ignores it); only check the token is open.
    this.findWaiter(requireString(input.taskToken, 'taskToken'));
    return {};
  }

  /** Aborts running executions and settles every outstanding task token, so the process can exit. */
  async close(): Promise<void> {
    this.checkpoint();
    this.closed = true;
    const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
    for (const exec of running) {
      exec.stopRequest ??= { cause: 'The local Step Functions service was shut down' };
      this.endExecution(exec);
      exec.abort();
    }
    await Promise.allSettled(running.map((e) => e.done));
    for (const { exec } of this.tokens.values()) this.endExecution(exec);
  }

  // ------------------------------------------------------------------ internals

  private log(line: string): void {
    this.opts.log?.(`[stepfunctions] ${line}`);
  }

  private getMachine(arn: unknown): RegisteredMachine {
    const value = requireString(arn, 'stateMachineArn');
    if (!STATE_MACHINE_ARN.test(value)) throw new SfnApiError('InvalidArn', `Invalid Arn: '${value}'`);
    const machine = this.machines.get(value);
    if (!machine) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${value}'`);
    return machine;
  }

  private getExecution(arn: unknown): ExecutionRecord {
    const value = requireString(arn, 'executionArn');
    if (!EXECUTION_ARN.test(value)) throw new SfnApiError('InvalidArn', `Invalid Arn: '${value}'`);
    const exec = this.executions.get(value);
    if (!exec) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${value}'`);
    return exec;
  }

  private pushEvent(exec: ExecutionRecord, type: HistoryEventType, timestamp: Date, details: Partial<HistoryEvent> = {}): void {
    const id = exec.events.length + 1;
    // AWS links an event to the one that caused it; in a linear history that is simply the previous one.
    exec.events.push({ timestamp, type, id, previousEventId: id - 1, ...details });
    this.scheduleSave(exec);
  }

  // --- tokens

  private mintToken(exec: ExecutionRecord): string {
    const token = TOKEN_PREFIX + randomBytes(48).toString('base64url');
    this.tokenMachines.set(token, exec.machine.cfg.arn);
    if (this.tokenMachines.size > MAX_REMEMBERED_TOKENS) this.tokenMachines.delete(this.tokenMachines.keys().next().value!);
    if (!exec.ended) {
      this.tokens.set(token, { exec });
      exec.tokens.add(token);
    }
    return token;
  }

  private findWaiter(token: string): Waiter {
    const waiter = this.tokens.get(token)?.waiter;
    if (waiter) return waiter;
    if (TOKEN_FORMAT.test(token)) {
      throw new SfnApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    throw new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
  }

  /** The state machine a task token was minted for (undefined for tokens this endpoint never issued). */
  stateMachineOfToken(token: string): string | undefined {
    return this.tokenMachines.get(token);
  }

  /** Finds the waiting task for a token and closes all its tokens, so a second answer gets TaskTimedOut. */
  private takeWaiter(token: string): Waiter {
    const waiter = this.findWaiter(token);
    const exec = this.tokens.get(token)?.exec;
    this.forgetTokens(waiter.tokens);
    // Answered: a restart from here on runs the state again (its step hands the stored answer to
    // the new token) rather than waiting for an answer that was already given.
    if (exec) this.clearPause(exec, waiter.tokens);
    return waiter;
  }

  /**
   * Local only, for tests and demos of deadline paths: the named state of a running execution
   * fails with States.Timeout now, as if its TimeoutSeconds (hours or days) had passed; its
   * Catch runs as on AWS. The number of waiting tasks timed out (several inside a Map).
   */
  timeOutWaitingState(executionArn: string, stateName: string): number {
    const waiters = new Set<Waiter>();
    for (const entry of this.tokens.values()) {
      if (entry.exec.arn === executionArn && entry.waiter?.stateName === stateName) waiters.add(entry.waiter);
    }
    for (const waiter of waiters) {
      this.forgetTokens(waiter.tokens);
      this.clearPause(this.executions.get(executionArn)!, waiter.tokens);
      waiter.reject(namedError('States.Timeout', `${stateName} timed out (local time-out control)`));
    }
    return waiters.size;
  }

  private forgetTokens(tokens: Iterable<string>): void {
    for (const token of tokens) {
      this.tokens.get(token)?.exec.tokens.delete(token);
      this.tokens.delete(token);
    }
  }

  /** Marks the execution as over and fails every task still waiting on one of its tokens. */
  private endExecution(exec: ExecutionRecord): void {
    exec.ended = true;
    // A restored deadline not yet taken over by the resumed run must not outlive the execution.
    if (exec.resume?.timer) clearTimeout(exec.resume.timer);
    for (const token of [...exec.tokens]) {
      const waiter = this.tokens.get(token)?.waiter;
      this.forgetTokens([token]);
      waiter?.reject(terminalError('Execution is no longer running'));
    }
  }

  // --- tasks

  private buildTaskHandlers(exec: ExecutionRecord): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const [stateName, spec] of exec.machine.tasks) {
      handlers[stateName] = (input) => this.runTask(exec, stateName, spec, input);
    }
    return handlers;
  }

  /** Called by the interpreter with the state's input after InputPath and Parameters. */
  private async runTask(exec: ExecutionRecord, stateName: string, spec: TaskSpec, input: Json): Promise<Json> {
    // After a stop/timeout the interpreter may still retry a task; don't start new work for a dead execution.
    if (exec.ended) throw terminalError('Execution is no longer running');
    let localTimeoutSeconds: number | undefined;
    if (isRecord(input) && LOCAL_TIMEOUT_FIELD in input) {
      const { [LOCAL_TIMEOUT_FIELD]: timeout, ...rest } = input;
      if (typeof timeout === 'number') localTimeoutSeconds = timeout;
      input = rest as Json;
    }
    const resumed = exec.resume?.stateName === stateName ? exec.resume : undefined;
    if (resumed) {
      // Taken up after a restart: the function ran before it, the person holds the old token.
      exec.resume = undefined;
      this.forgetTokens(collectStrings(input).filter((s) => this.tokens.get(s)?.exec === exec && !this.tokens.get(s)?.waiter));
      try {
        return await resumed.callback;
      } finally {
        clearTimeout(resumed.timer);
        this.forgetTokens(resumed.tokens);
        this.clearPause(exec, resumed.tokens);
      }
    }
    this.authorizeTask(exec, stateName, spec, input);
    switch (spec.kind) {
      case 'lambda:function':
        return this.invoke(spec.resource, input);
      case 'lambda:invoke': {
        const params = asRecord(input);
        const payload = await this.invoke(functionName(params, stateName), params.Payload ?? {});
        return lambdaInvokeResult(payload);
      }
      case 'lambda:invoke.waitForTaskToken': {
        const params = asRecord(input);
        const fn = functionName(params, stateName);
        // Claim the tokens before invoking (synchronously, before any await): the Lambda may answer
        // with SendTaskSuccess before its own invocation has returned.
        const claimed = collectStrings(input).filter((s) => {
          const entry = this.tokens.get(s);
          return entry?.exec === exec && !entry.waiter;
        });
        if (claimed.length === 0) {
          throw terminalError(`Task state '${stateName}' has no task token ($$.Task.Token) in its Parameters`);
        }
        const callback = new Promise<Json>((resolve, reject) => {
          const waiter: Waiter = { tokens: claimed, stateName, resolve, reject };
          for (const token of claimed) {
            const entry = this.tokens.get(token);
            if (entry) entry.waiter = waiter;
          }
        });
        callback.catch(() => undefined); // may settle while the invoke is in flight; awaited below
        // The interpreter fails the state on TimeoutSeconds without telling us. This timer is created
        // before the interpreter's (same duration), so it fires first and closes the tokens: late answers
        // then get TaskTimedOut. It must not settle `callback`, or its error would beat States.Timeout.
        const timeoutSeconds = spec.timeoutSeconds ?? localTimeoutSeconds;
        const dueAt = timeoutSeconds === undefined ? undefined : new Date(Date.now() + timeoutSeconds * 1000);
        const timer = timeoutSeconds === undefined ? undefined : setTimeout(() => this.forgetTokens(claimed), timeoutSeconds * 1000);
        try {
          await this.invoke(fn, params.Payload ?? {});
          // Only once the function has returned (the person's task holds the token) may a restart
          // wait on these tokens; before that it runs the state again, as a retry would.
          if (claimed.some((token) => this.tokens.get(token)?.waiter)) {
            exec.pause = { stateName, tokens: claimed, ...(dueAt ? { dueAt } : {}) };
            this.saveNow(exec);
          }
          return await callback;
        } finally {
          clearTimeout(timer);
          this.forgetTokens(claimed); // no-op unless the invoke failed
          this.clearPause(exec, claimed);
        }
      }
      case 'dynamodb':
        return this.dynamodb(spec.action, input);
      case 'states:startExecution':
        return this.startChildExecution(input);
    }
  }

  /**
   * The state machine's role must allow what the task does, as on AWS; a denial fails the task with
   * the error AWS reports, so Retry/Catch see what they would see there:
   * - Lambda: `Lambda.AWSLambdaException`, cause "User: … is not authorized to perform:
   *   lambda:InvokeFunction … (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException …)"
   *   (as seen from AWS in awslabs/aws-deployment-framework#460 and
   *   aws-samples/lambda-refarch-imagerecognition#19);
   * - DynamoDB: `DynamoDB.AccessDeniedException` (the integration names errors `DynamoDB.<Exception>`),
   *   including the table key's kms:Decrypt (see ../iam/enforcement.ts);
   * - states:startExecution: `StepFunctions.AccessDeniedException`.
   */
  private authorizeTask(exec: ExecutionRecord, stateName: string, spec: TaskSpec, input: Json): void {
    const iam = this.opts.iam;
    if (!iam) return;
    const principal = iam.principalOfStateMachine(exec.machine.cfg.arn, exec.machine.cfg.name);
    const params = asRecord(input);
    const requestId = randomUUID();
    switch (spec.kind) {
      case 'lambda:function':
      case 'lambda:invoke':
      case 'lambda:invoke.waitForTaskToken': {
        const fn = spec.kind === 'lambda:function' ? spec.resource : functionName(params, stateName);
        const denial = iam.authorize(principal, [{ action: 'lambda:InvokeFunction', resource: iam.functionArn(fn) }]);
        if (denial) {
          throw namedError(
            'Lambda.AWSLambdaException',
            `${denial.message} (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: ${requestId}; Proxy: null)`,
          );
        }
        return;
      }
      case 'dynamodb': {
        const operation = spec.action.charAt(0).toUpperCase() + spec.action.slice(1);
        const denial = iam.authorizeDynamoDb(principal, operation, params);
        if (denial)
          throw namedError(
            'DynamoDB.AccessDeniedException',
            `${denial.message} (Service: DynamoDb, Status Code: 400, Request ID: ${requestId})`,
          );
        return;
      }
      case 'states:startExecution': {
        const denial = iam.authorize(principal, [{ action: 'states:StartExecution', resource: String(params.StateMachineArn) }]);
        if (denial)
          throw namedError(
            'StepFunctions.AccessDeniedException',
            `${denial.message} (Service: AWSStepFunctions; Status Code: 400; Error Code: AccessDeniedException; Request ID: ${requestId}; Proxy: null)`,
          );
        return;
      }
    }
  }

  private async invoke(functionArn: string, payload: unknown): Promise<Json> {
    try {
      const result = await this.opts.invokeLambda(functionArn, payload);
      return (result ?? null) as Json;
    } catch (err) {
      // AWS reports a function error as Error = errorType, Cause = the runtime's JSON error document.
      const e = err instanceof Error ? err : new Error(String(err));
      throw namedError(e.name, JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: e.stack?.split('\n') ?? [] }));
    }
  }

  /** As AWS answers the integration: PascalCase fields; errors named `StepFunctions.<Exception>`. */
  private async startChildExecution(input: Json): Promise<Json> {
    const params = asRecord(input);
    const childInput =
      params.Input === undefined ? undefined : typeof params.Input === 'string' ? params.Input : JSON.stringify(params.Input);
    try {
      const started = await this.startExecution({
        stateMachineArn: String(params.StateMachineArn),
        ...(typeof params.Name === 'string' ? { name: params.Name } : {}),
        ...(childInput !== undefined ? { input: childInput } : {}),
      });
      return { ExecutionArn: started.executionArn ?? null, StartDate: started.startDate?.toISOString() ?? null };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      throw namedError(`StepFunctions.${e.name.endsWith('Exception') ? e.name : `${e.name}Exception`}`, e.message);
    }
  }

  private async dynamodb(action: DynamoAction, input: Json): Promise<Json> {
    const params = toSdkAttributeValues(input) as never;
    const client = this.opts.dynamodb;
    try {
      let response: object;
      switch (action) {
        case 'putItem':
          response = await client.send(new PutItemCommand(params as PutItemCommandInput));
          break;
        case 'getItem':
          response = await client.send(new GetItemCommand(params as GetItemCommandInput));
          break;
        case 'updateItem':
          response = await client.send(new UpdateItemCommand(params as UpdateItemCommandInput));
          break;
        case 'deleteItem':
          response = await client.send(new DeleteItemCommand(params as DeleteItemCommandInput));
          break;
      }
      const { $metadata: _metadata, ...rest } = response as { $metadata?: unknown };
      return toJson(rest);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const meta = (err as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
      const detail = meta?.httpStatusCode ? ` (Service: DynamoDb, Status Code: ${meta.httpStatusCode}, Request ID: ${meta.requestId})` : '';
      // Same error names as the AWS integration, e.g. DynamoDB.ConditionalCheckFailedException.
      throw namedError(`DynamoDB.${e.name}`, `${e.message}${detail}`);
    }
  }

  // --- history

  private async consumeEvents(exec: ExecutionRecord, logs: AsyncGenerator<EventLog>): Promise<void> {
    try {
      for await (const event of logs) this.recordEvent(exec, event);
    } catch (err) {
      this.log(`event log of ${exec.arn} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Translates one interpreter event into AWS history events. */
  private recordEvent(exec: ExecutionRecord, event: EventLog): void {
    const at = new Date(event.timestamp);
    switch (event.type) {
      case 'StateEntered': {
        const { name, type, input } = event.state;
        if (exec.skipEntered !== undefined) {
          const resumedState = exec.skipEntered;
          exec.skipEntered = undefined;
          if (resumedState === name) break;
        }
        this.pushEvent(exec, `${type}StateEntered` as HistoryEventType, at, {
          stateEnteredEventDetails: { name, input: JSON.stringify(input ?? null), inputDetails: { truncated: false } },
        });
        if (type === 'Parallel') this.pushEvent(exec, 'ParallelStateStarted', at);
        if (type === 'Map') this.pushEvent(exec, 'MapStateStarted', at);
        break;
      }
      case 'StateExited': {
        const { name, type, output } = event.state;
        if (type === 'Parallel') this.pushEvent(exec, 'ParallelStateSucceeded', at);
        if (type === 'Map') this.pushEvent(exec, 'MapStateSucceeded', at);
        this.pushEvent(exec, `${type}StateExited` as HistoryEventType, at, {
          stateExitedEventDetails: { name, output: JSON.stringify(output ?? null), outputDetails: { truncated: false } },
        });
        break;
      }
      case 'StateFailed': {
        const { name, type } = event.state;
        const error = event.Error;
        const cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
        if (type === 'Parallel') this.pushEvent(exec, 'ParallelStateFailed', at);
        if (type === 'Map') this.pushEvent(exec, 'MapStateFailed', at);
        const spec = type === 'Task' ? exec.machine.tasks.get(name) : undefined;
        if (!spec) break;
        const timedOut = error === 'States.Timeout';
        if (spec.kind === 'lambda:function') {
          // Plain function-ARN resources are logged as LambdaFunction* events by AWS.
          this.pushEvent(exec, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', at, {
            [timedOut ? 'lambdaFunctionTimedOutEventDetails' : 'lambdaFunctionFailedEventDetails']: { error, cause },
          });
        } else {
          // resourceType/resource as AWS splits arn:aws:states:::<type>:<resource>.
          const [resourceType, resource] = spec.resource.replace(/^arn:[^:]+:states:::/, '').split(':');
          this.pushEvent(exec, timedOut ? 'TaskTimedOut' : 'TaskFailed', at, {
            [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: { resourceType, resource, error, cause },
          });
        }
        break;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `mapIteration${event.type.slice('MapIteration'.length)}EventDetails`;
        this.pushEvent(exec, event.type, at, { [key]: { name: event.parentState.name, index: event.index } });
        break;
      }
      case 'ExecutionAborted':
        exec.sawAbort = true;
        break;
      case 'ExecutionTimeout':
        exec.sawTimeout = true;
        break;
      // ExecutionStarted/Succeeded/Failed come from startExecution/finish; retries, catches and
      // Parallel branch events have no AWS history counterpart.
    }
  }

  /** Final status, output and terminal history event, once the run settled and its log is drained. */
  private finish(exec: ExecutionRecord, outcome: Outcome): void {
    this.endExecution(exec);
    const stopDate = new Date();
    exec.stopDate = stopDate;
    if (exec.sawAbort) {
      exec.status = 'ABORTED';
      exec.error = exec.stopRequest?.error;
      exec.cause = exec.stopRequest?.cause;
      this.pushEvent(exec, 'ExecutionAborted', stopDate, { executionAbortedEventDetails: { error: exec.error, cause: exec.cause } });
    } else if (exec.sawTimeout || (!outcome.ok && outcome.error instanceof ExecutionTimeoutError)) {
      exec.status = 'TIMED_OUT';
      exec.error = 'States.Timeout';
      this.pushEvent(exec, 'ExecutionTimedOut', stopDate, { executionTimedOutEventDetails: { error: exec.error } });
    } else if (!outcome.ok) {
      const { error, cause } = describeFailure(outcome.error);
      exec.status = 'FAILED';
      exec.error = error;
      exec.cause = cause;
      this.pushEvent(exec, 'ExecutionFailed', stopDate, { executionFailedEventDetails: { error, cause } });
    } else {
      exec.status = 'SUCCEEDED';
      exec.output = JSON.stringify(outcome.value ?? null);
      this.pushEvent(exec, 'ExecutionSucceeded', stopDate, {
        executionSucceededEventDetails: { output: exec.output, outputDetails: { truncated: false } },
      });
    }
    this.saveNow(exec);
    this.log(`execution ${exec.status} ${exec.arn}${exec.error ? ` (${exec.error})` : ''}`);
    this.announce(exec);
  }

  /** What EventBridge hears from Step Functions; a listener's failure is its own, never the execution's. */
  private announce(exec: ExecutionRecord): void {
    const ended = exec.status !== 'RUNNING';
    try {
      this.opts.onStatusChange?.({
        executionArn: exec.arn,
        stateMachineArn: exec.machine.cfg.arn,
        name: exec.name,
        status: exec.status,
        startDate: exec.startDate.getTime(),
        stopDate: exec.stopDate?.getTime() ?? null,
        input: exec.input,
        inputDetails: { included: true },
        output: exec.output ?? null,
        outputDetails: exec.output === undefined ? null : { included: true },
        error: exec.error ?? null,
        cause: exec.cause ?? null,
        redriveCount: exec.redriveCount,
        redriveDate: exec.redriveDate?.getTime() ?? null,
        redriveStatus: ended && exec.status !== 'SUCCEEDED' ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
      });
    } catch (error) {
      this.log(`status listener failed: ${(error as Error).message}`);
    }
  }
}

// ------------------------------------------------------------------- helpers

/** The last top-level state entered and never exited, with the input it was entered with. */
function unfinishedTopLevelState(history: readonly HistoryEvent[], topLevel: readonly string[]): { name: string; input: Json } | undefined {
  const open = new Map<string, string>();
  let last: string | undefined;
  for (const event of history) {
    const entered = event.stateEnteredEventDetails;
    const exited = event.stateExitedEventDetails;
    if (entered?.name && topLevel.includes(entered.name)) {
      open.set(entered.name, entered.input ?? 'null');
      last = entered.name;
    } else if (exited?.name && topLevel.includes(exited.name)) {
      open.delete(exited.name);
      if (last === exited.name) last = undefined;
    }
  }
  return last && open.has(last) ? { name: last, input: JSON.parse(open.get(last)!) as Json } : undefined;
}

type ResumePoint = { kind: 'state'; name: string; input: Json; enteredAt?: Date } | { kind: 'succeeded'; output: Json };

/**
 * Where a running execution goes on after a restart, from its history: the top-level state it
 * was in (entered, not exited) with the input it entered with; else the state after the last one
 * that exited, with that state's output (a Choice decides again from its input); else the start.
 */
export function resumePoint(
  history: readonly HistoryEvent[],
  states: Record<string, Record<string, unknown>>,
  executionInput: string,
  startAt: string,
): ResumePoint {
  const entered = new Map<string, { input: string; at: Date }>();
  let open: string | undefined;
  let lastExit: { name: string; output: string } | undefined;
  for (const event of history) {
    const enter = event.stateEnteredEventDetails;
    const exit = event.stateExitedEventDetails;
    // A name the definition no longer has is top-level if nothing top-level was open (a state
    // removed between two starts); inside a Map or Parallel, one always is.
    if (enter?.name && (enter.name in states || open === undefined)) {
      entered.set(enter.name, { input: enter.input ?? 'null', at: new Date(event.timestamp!) });
      open = enter.name;
    } else if (exit?.name && (exit.name in states || exit.name === open)) {
      if (open === exit.name) open = undefined;
      lastExit = { name: exit.name, output: exit.output ?? 'null' };
    }
  }
  if (open) {
    const { input, at } = entered.get(open)!;
    return { kind: 'state', name: open, input: JSON.parse(input) as Json, enteredAt: at };
  }
  if (!lastExit) return { kind: 'state', name: startAt, input: JSON.parse(executionInput) as Json };
  const state = states[lastExit.name];
  // Where a removed state led is unknown: resume() then fails the execution, naming the state.
  if (!state) return { kind: 'state', name: lastExit.name, input: JSON.parse(lastExit.output) as Json };
  if (state.Type === 'Choice') {
    const { input, at } = entered.get(lastExit.name)!;
    return { kind: 'state', name: lastExit.name, input: JSON.parse(input) as Json, enteredAt: at };
  }
  if (typeof state.Next === 'string') return { kind: 'state', name: state.Next, input: JSON.parse(lastExit.output) as Json };
  return { kind: 'succeeded', output: JSON.parse(lastExit.output) as Json };
}

/** A Wait's length when it counts from its start (Seconds, SecondsPath); undefined for an absolute one. */
function relativeWaitSeconds(state: Record<string, unknown>, input: Json): number | undefined {
  if (typeof state.Seconds === 'number') return state.Seconds;
  if (typeof state.SecondsPath !== 'string') return undefined;
  const effective = typeof state.InputPath === 'string' ? simplePath(input, state.InputPath) : input;
  const value = simplePath(effective, state.SecondsPath);
  return typeof value === 'number' ? value : undefined;
}

/** `$` and `$.a.b` only; anything else is undefined (the Wait then runs whole again). */
function simplePath(value: unknown, jsonPath: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_]+)*$/.test(jsonPath)) return undefined;
  let current = value;
  for (const key of jsonPath.split('.').slice(1)) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/** Name of the most recently entered state that has not exited; undefined once the execution ended. */
export function currentState(history: readonly HistoryEvent[]): string | undefined {
  const open: string[] = [];
  for (const event of history) {
    const type = event.type ?? '';
    if (/^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(type)) return undefined;
    if (type.endsWith('StateEntered') && event.stateEnteredEventDetails?.name) {
      open.push(event.stateEnteredEventDetails.name);
    } else if (type.endsWith('StateExited') && event.stateExitedEventDetails?.name) {
      const i = open.lastIndexOf(event.stateExitedEventDetails.name);
      if (i >= 0) open.splice(i, 1);
    }
  }
  return open.at(-1);
}

/**
 * Copies the definition with interpreter pitfalls fixed and maps every Task state (including those in
 * Parallel branches and Map iterators) to how it is executed locally. Throws on unsupported resources.
 */
function prepareDefinition(cfg: LocalStateMachineConfig, retryIntervalMs: number | undefined) {
  const definition = structuredClone(cfg.definition);
  const tasks = new Map<string, TaskSpec>();
  const retryIntervalOverrides: Record<string, number> = {};
  if (typeof definition.TimeoutSeconds === 'number') {
    definition.TimeoutSeconds = Math.min(definition.TimeoutSeconds, MAX_TIMER_SECONDS);
  }
  const visit = (states: unknown): void => {
    if (!isRecord(states)) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isRecord(state)) continue;
      if (retryIntervalMs !== undefined && Array.isArray(state.Retry)) retryIntervalOverrides[name] = retryIntervalMs;
      switch (state.Type) {
        case 'Task': {
          // Overrides are keyed by state name, so names must be unique across nested scopes.
          if (tasks.has(name)) throw new Error(`State machine '${cfg.name}': duplicate Task state name '${name}'`);
          if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
            state.TimeoutSeconds = DEFAULT_TASK_TIMEOUT_SECONDS;
          }
          if (typeof state.TimeoutSeconds === 'number') state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_TIMER_SECONDS);
          if (typeof state.TimeoutSecondsPath === 'string' && isRecord(state.Parameters)) {
            // AWS reads TimeoutSecondsPath from the state's input; the interpreter reads it from the
            // Parameters' output. Carry the value through Parameters so both see the same number.
            state.Parameters = { ...state.Parameters, [`${LOCAL_TIMEOUT_FIELD}.$`]: state.TimeoutSecondsPath };
            state.TimeoutSecondsPath = `$.${LOCAL_TIMEOUT_FIELD}`;
          }
          tasks.set(name, classifyTask(cfg.name, name, state));
          break;
        }
        case 'Wait':
          if (typeof state.Seconds === 'number') state.Seconds = Math.min(state.Seconds, MAX_TIMER_SECONDS);
          break;
        case 'Parallel':
          for (const branch of Array.isArray(state.Branches) ? state.Branches : []) {
            if (isRecord(branch)) visit(branch.States);
          }
          break;
        case 'Map': {
          const processor = state.ItemProcessor ?? state.Iterator;
          if (isRecord(processor)) visit(processor.States);
          break;
        }
      }
    }
  };
  visit(definition.States);
  return { definition, tasks, retryIntervalOverrides };
}

function classifyTask(machineName: string, stateName: string, state: Record<string, unknown>): TaskSpec {
  const resource = String(state.Resource);
  const integration = /^arn:aws[a-z-]*:states:::([^:]+):(.+)$/.exec(resource);
  if (integration?.[1] === 'lambda' && integration[2] === 'invoke') return { kind: 'lambda:invoke', resource };
  if (integration?.[1] === 'lambda' && integration[2] === 'invoke.waitForTaskToken') {
    // Without a token reference the execution could only hang, so reject it up front.
    if (!JSON.stringify(state.Parameters ?? null).includes('$$.Task.Token')) {
      throw new Error(`State machine '${machineName}': Task state '${stateName}' (${resource}) must pass $$.Task.Token in Parameters`);
    }
    const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
    return { kind: 'lambda:invoke.waitForTaskToken', resource, timeoutSeconds };
  }
  if (integration?.[1] === 'dynamodb' && (DYNAMODB_ACTIONS as readonly string[]).includes(integration[2] ?? '')) {
    return { kind: 'dynamodb', resource, action: integration[2] as DynamoAction };
  }
  if (integration?.[1] === 'states' && integration[2] === 'startExecution') return { kind: 'states:startExecution', resource };
  if (/^arn:aws[a-z-]*:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/.test(resource)) return { kind: 'lambda:function', resource };
  throw new Error(
    `State machine '${machineName}': Task state '${stateName}' uses unsupported Resource '${resource}' ` +
      `(supported locally: lambda:invoke, lambda:invoke.waitForTaskToken, Lambda function ARNs, states:startExecution, dynamodb:${DYNAMODB_ACTIONS.join('|')})`,
  );
}

function lambdaInvokeResult(payload: Json): Json {
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    StatusCode: 200,
    SdkHttpMetadata: { HttpStatusCode: 200 },
    SdkResponseMetadata: {},
  };
}

function functionName(params: Record<string, unknown>, stateName: string): string {
  if (typeof params.FunctionName !== 'string') throw terminalError(`Task state '${stateName}': Parameters.FunctionName must be a string`);
  return params.FunctionName;
}

/** Error/cause of a failed run; the interpreter wraps the state's error in ExecutionError.cause. */
function describeFailure(err: unknown): { error?: string; cause?: string } {
  const inner = err instanceof ExecutionError && err.cause instanceof Error ? err.cause : err;
  if (!(inner instanceof Error)) return { error: 'States.Runtime', cause: String(inner) };
  // A Fail state without Error/Cause gets placeholder values from the interpreter; AWS reports none.
  if (inner.constructor.name === 'FailStateError') {
    return {
      error: inner.name === 'FailStateError' ? undefined : inner.name,
      cause: inner.message === 'Execution failed because of a Fail state' ? undefined : inner.message,
    };
  }
  return { error: inner.name, cause: inner.message };
}

function namedError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name; // Retry/Catch match on error.name
  return err;
}

/** An error Retry/Catch must not intercept (the interpreter reads these flags, like its own States.Runtime). */
function terminalError(message: string): Error {
  return Object.assign(namedError('States.Runtime', message), { isRetryable: false, isCatchable: false });
}

function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  for (const [key, details] of Object.entries(copy)) {
    if (!key.endsWith('EventDetails') || !isRecord(details)) continue;
    for (const field of ['input', 'inputDetails', 'output', 'outputDetails']) delete details[field];
  }
  return copy as unknown as HistoryEvent;
}

function pageSize(maxResults: number | undefined, fallback: number): number {
  if (!maxResults || maxResults < 0) return fallback;
  return Math.min(maxResults, 1000);
}

function encodePageToken(kind: string, value: number): string {
  return Buffer.from(JSON.stringify({ kind, value })).toString('base64url');
}

function decodePageToken(token: string, kind: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { kind?: unknown; value?: unknown };
    if (parsed.kind === kind && typeof parsed.value === 'number') return parsed.value;
  } catch {
    // fall through
  }
  throw new SfnApiError('InvalidToken', 'Invalid Token: malformed nextToken');
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new SfnApiError('ValidationException', `'${field}' is required`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function collectStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (isRecord(value)) for (const v of Object.values(value)) collectStrings(v, out);
  return out;
}

/** Step Functions carries DynamoDB binary attributes as base64 strings; the SDK wants bytes. */
function toSdkAttributeValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSdkAttributeValues);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'B' && typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (keys.length === 1 && keys[0] === 'BS' && Array.isArray(value.BS)) {
    return { BS: value.BS.map((b) => (typeof b === 'string' ? Buffer.from(b, 'base64') : b)) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toSdkAttributeValues(v)]));
}

/** SDK output → plain JSON: bytes as base64 (as Step Functions returns them), undefined dropped. */
function toJson(value: unknown): Json {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Set) return [...value].map(toJson);
  if (Array.isArray(value)) return value.map(toJson);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toJson(v)]),
    );
  }
  return (value ?? null) as Json;
}
