import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildDischargePlanningDefinition, type DischargePlanningSteps } from '../../workflows/discharge-planning/definition';
import type { StageConfig } from '../config/stage';
import type { SiteConfig } from '../../shared/site-config';
import { ServiceFunction } from './service-function';
import { allowAnsweringOwnTasks, workflowStateMachine } from './workflow-state-machine';

/**
 * The Discharge Planning state machine and the Lambda steps behind its states
 * (workflows/discharge-planning/definition.ts is the state graph).
 */
export class DischargePlanningWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly steps: DischargePlanningSteps;

  constructor(scope: Construct, id: string, props: { config: StageConfig; table: Table; logKey: IKey; followUpStateMachine: sfn.IStateMachine; openOperatorTask: IFunction }) {
    super(scope, id);
    const environment = { TABLE_NAME: props.table.tableName };
    const fn = (stepId: string, handlerDir: string, siteConfig?: Partial<SiteConfig>) =>
      new ServiceFunction(this, stepId, { config: props.config, logKey: props.logKey, handlerDir, environment, ...(siteConfig ? { siteConfig } : {}) }).fn;

    this.steps = {
      screenPatient: fn('ScreenPatient', 'screen-patient', { facilityTimeZones: props.config.facilityTimeZones }),
      openCareTask: fn('OpenCareTask', 'open-care-task'),
      buildDischargePlan: fn('BuildDischargePlan', 'build-discharge-plan'),
      offerChoiceList: fn('OfferChoiceList', 'offer-choice-list'),
      pickReferralProviders: fn('PickReferralProviders', 'pick-referral-providers'),
      awaitReferralAnswer: fn('AwaitReferralAnswer', 'await-referral-answer'),
      tallyReferrals: fn('TallyReferrals', 'tally-referrals'),
      openOperatorTask: props.openOperatorTask,
      checkDischargeReadiness: fn('CheckDischargeReadiness', 'check-discharge-readiness', { facilityTimeZones: props.config.facilityTimeZones }),
      recordDischarge: fn('RecordDischarge', 'record-discharge'),
      sendTransitionRecord: fn('SendTransitionRecord', 'send-transition-record'),
    };
    const { steps } = this;
    for (const step of Object.values(steps)) if (step !== props.openOperatorTask) props.table.grantReadWriteData(step);

    this.stateMachine = workflowStateMachine(this, {
      config: props.config,
      logKey: props.logKey,
      table: props.table,
      workflow: 'discharge-planning',
      comment: 'Discharge planning from admission to discharge and follow-up (42 CFR 482.43).',
      definition: buildDischargePlanningDefinition(this, props.table, steps, props.followUpStateMachine),
      // A stay longer than this is reviewed by hand; Standard executions may run a year.
      timeout: Duration.days(180),
    });
    allowAnsweringOwnTasks(this, props.config, 'discharge-planning', [steps.openCareTask, steps.awaitReferralAnswer]);
  }
}
