import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalTemplate } from './template';

export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  assetDir: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
}

/** A Lambda error as the caller sees it: `name` is the function's errorType. */
export class LambdaInvokeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Instance {
  worker: Worker;
  busy: boolean;
  pending?: { id: string; resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };
}

const WORKER_FILE = path.resolve(import.meta.dirname, 'lambda-worker.mjs');

/**
 * Runs the functions of the template from their bundled assets in cdk.out, each instance in
 * its own worker thread with only that function's environment (as Lambda isolates them).
 * An instance serves one invocation at a time; concurrent invocations get more instances,
 * up to `maxInstances` per function, then queue.
 */
/** Lines of function output kept for `GET /_local/logs` (the newest; older ones are dropped). */
const KEPT_LOG_LINES = 200_000;

export class LocalLambdaRuntime {
  /** What CloudWatch Logs would hold: every function's output and the errors its invocations ended with. */
  readonly logs: string[] = [];
  private readonly functions = new Map<string, LocalFunction>();
  private readonly instances = new Map<string, Instance[]>();
  private readonly waiting = new Map<string, Array<() => void>>();
  private closed = false;

  constructor(
    template: LocalTemplate,
    private readonly sharedEnvironment: Record<string, string>,
    private readonly maxInstances = 4,
    /** Also write function output to this process's stdout/stderr (off for tests: kept, not shown). */
    private readonly echo = true,
    /** Variables whose deployed value means nothing on this machine (the token issuer): these win over the template's. */
    private readonly localOverrides: Record<string, string> = {},
    /** Per-function variables set last, as Lambda sets the role's credentials over anything else. */
    private readonly environmentOf: (fn: LocalFunction) => Record<string, string> = () => ({}),
  ) {
    for (const [logicalId, resource] of template.ofType('AWS::Lambda::Function')) {
      const props = template.properties(logicalId) as Record<string, any>;
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') continue; // inline or custom-resource code: not ours to run
      const fn: LocalFunction = {
        logicalId,
        name: template.physicalName(logicalId),
        arn: template.arn(logicalId),
        assetDir: path.resolve(template.cdkOut, assetPath),
        handler: props.Handler ?? 'index.handler',
        timeoutSeconds: props.Timeout ?? 3,
        memoryMb: props.MemorySize ?? 128,
        environment: props.Environment?.Variables ?? {},
      };
      this.functions.set(fn.arn, fn);
      this.functions.set(fn.name, fn);
      this.functions.set(logicalId, fn);
    }
  }

  list(): LocalFunction[] {
    return [...new Set(this.functions.values())];
  }

  find(nameOrArn: string): LocalFunction {
    // Qualified ARNs (…:function:name:alias) and names resolve to the same function.
    const fn = this.functions.get(nameOrArn) ?? this.functions.get(nameOrArn.split(':').slice(0, 7).join(':'));
    if (!fn) throw new LambdaInvokeError('Lambda.ResourceNotFoundException', `Function not found: ${nameOrArn}`);
    return fn;
  }

  async invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    // Named as Step Functions names Lambda service errors, so the default Lambda.* retries apply.
    if (this.closed) throw new LambdaInvokeError('Lambda.ServiceException', 'The local Lambda runtime is stopped');
    const fn = this.find(nameOrArn);
    const instance = await this.acquire(fn);
    const id = randomUUID();
    try {
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          // A timed-out environment is discarded, as Lambda does.
          this.discard(fn, instance);
          reject(new LambdaInvokeError('Sandbox.Timedout', `Task timed out after ${fn.timeoutSeconds} seconds`));
        }, fn.timeoutSeconds * 1000);
        instance.pending = { id, resolve, reject, timer };
        instance.worker.postMessage({ id, event, requestId: id, deadline: Date.now() + fn.timeoutSeconds * 1000 });
      });
    } finally {
      instance.pending = undefined;
      instance.busy = false;
      this.waiting.get(fn.arn)?.shift()?.();
    }
  }

  private async acquire(fn: LocalFunction): Promise<Instance> {
    for (;;) {
      const pool = this.instances.get(fn.arn) ?? [];
      this.instances.set(fn.arn, pool);
      const idle = pool.find((instance) => !instance.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (pool.length < this.maxInstances) {
        const instance = this.spawn(fn);
        instance.busy = true;
        pool.push(instance);
        return instance;
      }
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(fn.arn) ?? [];
        queue.push(resolve);
        this.waiting.set(fn.arn, queue);
      });
    }
  }

  private spawn(fn: LocalFunction): Instance {
    const worker = new Worker(WORKER_FILE, {
      workerData: {
        assetDir: fn.assetDir,
        handler: fn.handler,
        functionName: fn.name,
        functionArn: fn.arn,
        memoryMb: fn.memoryMb,
        logGroupName: `/aws/lambda/${fn.name}`,
      },
      env: {
        PATH: process.env.PATH ?? '',
        TZ: 'UTC',
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        ...this.sharedEnvironment,
        ...fn.environment,
        ...this.localOverrides,
        ...this.environmentOf(fn),
      },
      execArgv: ['--enable-source-maps'],
      // Forward output ourselves: the default forwarding adds a listener to process.stdout per worker.
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, fn.memoryMb) },
    });
    worker.stdout.on('data', (chunk: Buffer) => {
      this.keep(chunk);
      if (this.echo) process.stdout.write(chunk);
    });
    worker.stderr.on('data', (chunk: Buffer) => {
      this.keep(chunk);
      if (this.echo) process.stderr.write(chunk);
    });
    const instance: Instance = { worker, busy: false };
    worker.on('message', (message: { id: string; ok: boolean; result?: unknown; errorType?: string; errorMessage?: string }) => {
      const pending = instance.pending;
      if (!pending || pending.id !== message.id) return;
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.result);
      else {
        // As the Lambda runtime does, the error an invocation ended with goes to the function's log.
        this.keep(
          Buffer.from(
            `${JSON.stringify({ level: 'ERROR', functionName: fn.name, errorType: message.errorType, errorMessage: message.errorMessage })}\n`,
          ),
        );
        pending.reject(new LambdaInvokeError(message.errorType ?? 'Error', message.errorMessage ?? ''));
      }
    });
    worker.on('error', (error) => {
      const pending = instance.pending;
      this.discard(fn, instance);
      if (pending) {
        clearTimeout(pending.timer);
        pending.reject(new LambdaInvokeError('Runtime.ExitError', error.message));
      }
    });
    worker.unref();
    return instance;
  }

  private keep(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.logs.push(line);
    if (this.logs.length > KEPT_LOG_LINES) this.logs.splice(0, this.logs.length - KEPT_LOG_LINES);
  }

  private discard(fn: LocalFunction, instance: Instance): void {
    const pool = this.instances.get(fn.arn) ?? [];
    this.instances.set(
      fn.arn,
      pool.filter((candidate) => candidate !== instance),
    );
    void instance.worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.instances.values()].flat().map((instance) => instance.worker.terminate());
    this.instances.clear();
    await Promise.allSettled(workers);
  }
}
