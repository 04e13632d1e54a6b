import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { loadStageConfig } from './config/stage';
import { CarepathStack } from './stacks/carepath-stack';

/**
 * The CDK app: read the stage, create the stacks. `npm run synth` runs this file directly
 * (no CDK CLI needed); `npm run deploy` goes through the CLI, which sets CDK_OUTDIR itself.
 */
export function createApp(stage = process.env.CAREPATH_STAGE ?? 'dev', outdir = process.env.CDK_OUTDIR ?? 'cdk.out') {
  // Asset metadata (the CLI's default) tells the local stack which cdk.out folder holds each bundle.
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const config = loadStageConfig(app.node.tryGetContext('stage') ?? stage);
  const stack = new CarepathStack(app, `Carepath-${config.stage}`, {
    config,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'Carepath: care management and discharge planning',
  });
  // Security rules run at every synth; an unacknowledged finding fails it.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
  return { app, stack, config };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createApp().app.synth();
}
