import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import { logRetention, removalPolicy, type StageConfig } from '../config/stage';
import { SITE_CONFIG_FILE, type SiteConfig } from '../../shared/site-config';

const FUNCTIONS_DIR = path.resolve(import.meta.dirname, '../../functions');

// Which handler folder each function was built from: a state machine definition only holds the
// IFunction, and the synth-time check of its payload (workflows/states.ts) needs the step's schema.
const handlerDirs = new WeakMap<lambda.IFunction, string>();

/** The folder under functions/ a ServiceFunction was built from; undefined for any other function. */
export const handlerDirOf = (fn: lambda.IFunction): string | undefined => handlerDirs.get(fn);

export interface ServiceFunctionProps {
  config: StageConfig;
  /** Key for the function's log group. */
  logKey: IKey;
  /** Folder under functions/ holding handler.ts. */
  handlerDir: string;
  environment?: Record<string, string>;
  /** @default 10 seconds */
  timeout?: Duration;
  /**
   * Stage configuration that grows with the hospital (shared/site-config.ts), written into the
   * bundle as site-config.json: Lambda's environment holds 4 KB in all. @default none
   */
  siteConfig?: Partial<SiteConfig>;
}

/**
 * Bundling hooks that write `site-config.json` next to the bundle. The JSON travels base64-encoded:
 * no name in a roster can break the shell command. The file is part of the asset (its hash), so a
 * changed roster deploys the functions that read it, and the local stack reads it from cdk.out.
 */
export function writeSiteConfigHooks(config: Partial<SiteConfig>) {
  const encoded = Buffer.from(JSON.stringify(config)).toString('base64');
  const write = (outputDir: string) =>
    `node -e "require('node:fs').writeFileSync(process.argv[1], Buffer.from(process.argv[2], 'base64'))" "${path.join(outputDir, SITE_CONFIG_FILE)}" ${encoded}`;
  return {
    beforeBundling: (): string[] => [],
    beforeInstall: (): string[] => [],
    afterBundling: (_inputDir: string, outputDir: string): string[] => [write(outputDir)],
  };
}

/**
 * One Lambda per handler: Node.js 22 on arm64, bundled by the local esbuild as ESM (never
 * Docker), X-Ray on, its own log group with the stage's retention. The asset this produces in
 * cdk.out is exactly what the local stack runs.
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    // Named by CloudFormation: a fixed name kept after a destroy (or a failed first create) makes
    // the next deployment fail on "already exists". Operators reach it from the function.
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logRetention(props.config),
      encryptionKey: props.logKey,
      removalPolicy: removalPolicy(props.config),
    });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: path.join(FUNCTIONS_DIR, props.handlerDir, 'handler.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'carepath',
        // X-Ray would otherwise keep each thrown error's message; messages may quote what was sent.
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        // Error names are matched by Retry/Catch and shown in execution history: keep them.
        keepNames: true,
        logLevel: LogLevel.ERROR,
        // No source maps: they were 3.25 MB of every bundle (slower cold starts), and
        // --enable-source-maps makes every Error.stack parse them on the request path. keepNames
        // keeps function and class names in minified stack traces, which is what the logs need.
        sourceMap: false,
        mainFields: ['module', 'main'],
        // Some dependencies still call require(); give ESM bundles one.
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        // Bundle the SDK too: the version we test is the version we deploy.
        externalModules: [],
        ...(props.siteConfig ? { commandHooks: writeSiteConfigHooks(props.siteConfig) } : {}),
      },
    });
    handlerDirs.set(this.fn, props.handlerDir);
  }
}
