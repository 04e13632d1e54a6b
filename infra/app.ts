import { App, Validations, type Environment } from 'aws-cdk-lib';
import { DEFAULT_CROSS_STACK_REFERENCES } from 'aws-cdk-lib/cx-api';
import { pathToFileURL } from 'node:url';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { loadStageConfig, StageConfigError } from './config/stage';
import { CarepathApiStack } from './stacks/api-stack';
import { CarepathStack } from './stacks/carepath-stack';
import { CarepathOperationsStack } from './stacks/operations-stack';
import { CarepathRoutesStack } from './stacks/routes-stack';
import { CARE_RECORD_ROUTES } from './routes/care-record';
import { DISCHARGE_ROUTES } from './routes/discharge';
import { PATIENT_SERVICES_ROUTES } from './routes/patient-services';

/**
 * The CDK app: read the stage, create the stacks. `npm run synth` runs this file directly
 * (no CDK CLI needed); `npm run deploy` goes through the CLI, which sets CDK_OUTDIR itself.
 */
export interface CreateAppOptions {
  /** Bundle the functions' code. @default true (template-only tests skip it: minutes on two cores) */
  bundle?: boolean;
  /** The stacks' account and region. @default what the CDK CLI sets (CDK_DEFAULT_ACCOUNT/REGION), else environment-agnostic */
  env?: Environment;
  /** A site's own stage settings (JSON merged over the stage's defaults). @default context `stageConfig`, else CAREPATH_STAGE_CONFIG */
  stageConfigFile?: string;
}

export function createApp(
  stage = process.env.CAREPATH_STAGE ?? 'dev',
  outdir = process.env.CDK_OUTDIR ?? 'cdk.out',
  options: CreateAppOptions = {},
) {
  const context = {
    // Asset metadata (the CLI's default) tells the local stack which cdk.out folder holds each bundle.
    'aws:cdk:enable-asset-metadata': true,
    // The same as cdk.json's, for `npm run synth` (tsx reads no cdk.json): CloudFormation exports,
    // which keep a producing stack from being deleted under its consumers.
    [DEFAULT_CROSS_STACK_REFERENCES]: 'strong',
    ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
  };
  // CAREPATH_SKIP_BUNDLING=1 (templates only, never to deploy): after the CLI's context, which asks to bundle every stack.
  const app = new App({
    outdir,
    context,
    ...(process.env.CAREPATH_SKIP_BUNDLING === '1' ? { postCliContext: { 'aws:cdk:bundling-stacks': [] } } : {}),
  });
  const siteConfigFile = options.stageConfigFile ?? app.node.tryGetContext('stageConfig') ?? process.env.CAREPATH_STAGE_CONFIG;
  const config = loadStageConfig(app.node.tryGetContext('stage') ?? stage, siteConfigFile);
  const env = options.env ?? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const name = `Carepath-${config.stage}`;
  const stack = new CarepathStack(app, name, { config, env, description: 'Carepath: care record and discharge workflows' });
  const api = new CarepathApiStack(app, `${name}-api`, { config, env, core: stack, description: 'Carepath: HTTP API' });
  const routes = (
    [
      ['care-record', CARE_RECORD_ROUTES, 'patients, stays, ADT, tasks and the care record'],
      ['discharge', DISCHARGE_ROUTES, 'discharge planning, follow-up and transfers'],
      ['patient-services', PATIENT_SERVICES_ROUTES, 'scheduling, grievances, satisfaction, caseloads and metrics'],
    ] as const
  ).map(
    ([area, areaRoutes, what]) =>
      new CarepathRoutesStack(app, `${name}-api-${area}`, {
        config,
        env,
        core: stack,
        api,
        area,
        routes: areaRoutes,
        description: `Carepath: API routes for ${what}`,
      }),
  );
  const operations = new CarepathOperationsStack(app, `${name}-operations`, {
    config,
    env,
    core: stack,
    api,
    description: 'Carepath: alarms and dashboard',
  });
  // Security rules run at every synth; an unacknowledged finding fails it.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
  return { app, stack, api, routes, operations, stacks: [stack, api, ...routes, operations], config };
}

// Compared as URLs: a checkout path with spaces or other escaped characters still matches.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    createApp().app.synth();
  } catch (error) {
    // Wrong stage settings are the operator's to fix: the one line says what, a stack trace would bury it.
    if (!(error instanceof StageConfigError)) throw error;
    console.error(`Error: ${error.message}`);
    process.exit(1);
  }
}
