import net from 'node:net';
import path from 'node:path';
import { LOCAL_ISSUER, localJwks } from './auth';
import { createTablesFromTemplate, LOCAL_CREDENTIALS, startDynamoDbLocal } from './dynamodb';
import { LocalEventBridge } from './eventbridge';
import { startIamDynamoDbProxy } from './iam/dynamodb-proxy';
import { IamEnforcement } from './iam/enforcement';
import { startHttpApi } from './http-api';
import { LocalLambdaRuntime } from './lambda-runtime';
import { LocalSchedules } from './schedules';
import { LocalStepFunctions, type LocalStateMachineConfig } from './stepfunctions/service';
import { startStepFunctionsServer } from './stepfunctions/server';
import { checkpointFileIn, LocalStreamPollers } from './streams';
import { LocalTemplate, type CfnTemplate } from './template';

export interface LocalStackOptions {
  /** Folder holding the synthesized app. @default cdk.out */
  cdkOut?: string;
  /** @default Carepath-dev */
  stackName?: string;
  /** 0 picks a free port. Defaults: HTTP API 3000, Step Functions 8083, DynamoDB Local 8000. */
  ports?: { http?: number; stepFunctions?: number; dynamodb?: number };
  /** Keep DynamoDB data, stream positions and Step Functions executions here across restarts; in memory when absent. */
  dataDir?: string;
  /** Powertools log level for the functions. @default INFO */
  functionLogLevel?: string;
  /** Write function output to the console (default); off, it is only kept for `GET /_local/logs`. */
  echoFunctionLogs?: boolean;
  /** Local-only: shorten Retry pauses (tests). */
  retryIntervalMs?: number;
  /** Where the functions reach DynamoDB, given DynamoDB Local's endpoint (benchmarks count requests through a proxy). @default the endpoint itself */
  functionDynamoDbEndpoint?: (endpoint: string) => string;
  /**
   * Changes the merged template before anything is built from it (tests drop one grant and watch
   * the call it allowed fail). Runs on the parsed JSON, intrinsics unresolved.
   */
  editTemplate?: (template: CfnTemplate) => void;
  log?: (line: string) => void;
}

export interface LocalStack {
  httpUrl: string;
  stepFunctionsUrl: string;
  dynamodbUrl: string;
  /** Where the functions reach DynamoDB: the IAM front before DynamoDB Local. */
  functionDynamoDbUrl: string;
  region: string;
  stateMachines: Array<{ name: string; arn: string }>;
  stepFunctions: LocalStepFunctions;
  streams: LocalStreamPollers;
  /** Care events the functions published (PutEvents) and Step Functions status changes, also at `<stepFunctionsUrl>/_local/events`. */
  eventBridge: LocalEventBridge;
  /** The template's IAM as enforced on the functions' and state machines' calls; `denials` lists what was refused. */
  iam: IamEnforcement;
  stop(): Promise<void>;
}

export const LOCAL_ACCOUNT = { region: 'us-east-1', accountId: '000000000000' };

/** CloudFormation's LoggingConfiguration (PascalCase) as the Step Functions API returns it. */
function apiLoggingConfiguration(cfn: Record<string, any> | undefined) {
  if (!cfn) return undefined;
  return {
    level: cfn.Level,
    includeExecutionData: Boolean(cfn.IncludeExecutionData),
    destinations: (cfn.Destinations ?? []).map((d: Record<string, any>) => ({
      cloudWatchLogsLogGroup: { logGroupArn: d.CloudWatchLogsLogGroup?.LogGroupArn },
    })),
  };
}

/** The template's state machines as the local Step Functions registers them (definitions with substitutions applied). */
export function stateMachinesOf(template: LocalTemplate): LocalStateMachineConfig[] {
  return template.ofType('AWS::StepFunctions::StateMachine').map(([logicalId]) => {
    const p = template.properties(logicalId) as Record<string, any>;
    let definition = String(p.DefinitionString ?? JSON.stringify(p.Definition));
    for (const [key, value] of Object.entries((p.DefinitionSubstitutions ?? {}) as Record<string, string>)) {
      definition = definition.split(`\${${key}}`).join(String(value));
    }
    return {
      name: template.physicalName(logicalId),
      arn: template.arn(logicalId),
      definition: JSON.parse(definition) as Record<string, unknown>,
      roleArn: String(p.RoleArn ?? ''),
      type: p.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      loggingConfiguration: apiLoggingConfiguration(p.LoggingConfiguration),
      tracingConfiguration: p.TracingConfiguration ? { enabled: Boolean(p.TracingConfiguration.Enabled) } : undefined,
    };
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The whole AWS stack of the synthesized template on this machine: DynamoDB Local with the
 * template's tables, the template's Lambda bundles, its state machines behind a Step Functions
 * API endpoint, its stream triggers, and its HTTP API routes.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const template = LocalTemplate.load(options.cdkOut ?? 'cdk.out', options.stackName ?? 'Carepath-dev', LOCAL_ACCOUNT);
  options.editTemplate?.(template.template);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error: Error) => log(`stop: ${error.message}`));
    stops.length = 0;
  };

  try {
    const ddbPort = options.ports?.dynamodb === 0 ? await freePort() : (options.ports?.dynamodb ?? 8000);
    const dynamodb = await startDynamoDbLocal({ port: ddbPort, dataDir: options.dataDir, region: LOCAL_ACCOUNT.region });
    stops.push(dynamodb.stop);
    await createTablesFromTemplate(dynamodb.client, template);
    // Grants AWS would refuse must fail here too: every call a function or a state machine makes is
    // authorized against its role's policies from the template (docs/local-stack.md, "IAM").
    const iam = new IamEnforcement(template, log);
    const dynamoDbFront = await startIamDynamoDbProxy({ upstream: dynamodb.endpoint, enforcement: iam });
    stops.push(dynamoDbFront.close);

    // What every function sees besides its own template environment: where "AWS" is.
    const sharedEnvironment: Record<string, string> = {
      AWS_REGION: LOCAL_ACCOUNT.region,
      AWS_DEFAULT_REGION: LOCAL_ACCOUNT.region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: options.functionDynamoDbEndpoint?.(dynamoDbFront.url) ?? dynamoDbFront.url,
      POWERTOOLS_LOG_LEVEL: options.functionLogLevel ?? 'INFO',
    };
    // Handlers verify tokens again (shared/http/token.ts): against the local issuer, not the
    // template's Cognito pool, with its keys given rather than fetched.
    const tokenSettings = { TOKEN_ISSUER: LOCAL_ISSUER, TOKEN_JWKS: JSON.stringify(await localJwks()), TOKEN_CLIENT_IDS: '*' };
    // Functions start lazily (first invocation), after the Step Functions endpoint below is known.
    let lambdas: LocalLambdaRuntime | undefined;
    const eventBridge = new LocalEventBridge(template, { log });
    const stepFunctions = new LocalStepFunctions({
      ...LOCAL_ACCOUNT,
      invokeLambda: (arn, payload) => lambdas!.invoke(arn, payload),
      dynamodb: dynamodb.client,
      iam,
      log,
      ...(options.dataDir ? { dataDir: path.resolve(options.dataDir) } : {}),
      onStatusChange: (detail) =>
        eventBridge.putServiceEvent('aws.states', 'Step Functions Execution Status Change', detail, [detail.executionArn]),
      ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    });
    const stateMachines: Array<{ name: string; arn: string }> = [];
    for (const config of stateMachinesOf(template)) {
      stepFunctions.registerStateMachine(config);
      stateMachines.push({ name: config.name, arn: config.arn });
    }
    stops.push(() => stepFunctions.close());
    let carepathApiUrl: string | undefined;
    const sfnServer = await startStepFunctionsServer(stepFunctions, {
      port: options.ports?.stepFunctions ?? 8083,
      log,
      eventBridge,
      carepathApiUrl: () => carepathApiUrl,
      functionLogs: () => lambdas?.logs ?? [],
      iam,
    });
    stops.push(() => sfnServer.close());
    sharedEnvironment.AWS_ENDPOINT_URL_SFN = sfnServer.url;
    sharedEnvironment.AWS_ENDPOINT_URL_EVENTBRIDGE = sfnServer.url;
    // Each function signs with a key id naming it, so the fronts know its role (Lambda gives each its role's credentials).
    const runtime = new LocalLambdaRuntime(
      template,
      sharedEnvironment,
      undefined,
      options.echoFunctionLogs ?? true,
      tokenSettings,
      (fn) => ({
        AWS_ACCESS_KEY_ID: iam.accessKeyIdOf(fn.logicalId),
      }),
    );
    lambdas = runtime;
    stops.push(() => runtime.close());
    // (Stops run last-in first: this one before the functions stop.) The executions are kept as
    // they are now; what stopping the functions does to them is not what a restart resumes from.
    stops.push(async () => stepFunctions.checkpoint());
    eventBridge.deliverTo((arn, event) => runtime.invoke(arn, event));
    stops.push(() => eventBridge.close());

    const streams = new LocalStreamPollers(template, dynamodb.client, runtime, {
      endpoint: dynamodb.endpoint,
      region: LOCAL_ACCOUNT.region,
      log,
      iam,
      ...(options.dataDir ? { checkpointFile: checkpointFileIn(path.resolve(options.dataDir)) } : {}),
    });
    streams.start();
    stops.push(() => streams.stop());

    const schedules = new LocalSchedules(template, runtime, log);
    schedules.start();
    stops.push(async () => schedules.stop());

    const httpApi = await startHttpApi(template, runtime, {
      port: options.ports?.http ?? 3000,
      log,
      // Local only: run a schedule rule now (tests and demos do not wait for 06:00).
      localRoutes: {
        'POST /_local/schedules/{name}/run': async (name) => {
          const results = await schedules.run(name);
          return results ? { status: 200, body: { rule: name, results } } : { status: 404, body: { message: `No schedule ${name}` } };
        },
      },
    });
    stops.push(() => httpApi.close());
    carepathApiUrl = httpApi.url;
    // Last, with everything they call running: executions kept in the data directory go on.
    await stepFunctions.restore();

    return {
      httpUrl: httpApi.url,
      stepFunctionsUrl: sfnServer.url,
      dynamodbUrl: dynamodb.endpoint,
      functionDynamoDbUrl: dynamoDbFront.url,
      region: LOCAL_ACCOUNT.region,
      stateMachines,
      stepFunctions,
      streams,
      eventBridge,
      iam,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
