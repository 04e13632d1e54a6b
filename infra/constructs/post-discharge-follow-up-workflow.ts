import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildFollowUpDefinition, type FollowUpSteps } from '../../workflows/post-discharge-follow-up/definition';
import type { StageConfig } from '../config/stage';
import type { SiteConfig } from '../../shared/site-config';
import { ServiceFunction } from './service-function';
import { workflowStateMachine } from './workflow-state-machine';

/**
 * The Post-discharge Follow-up (TCM) state machine and the Lambda steps behind its states
 * (workflows/post-discharge-follow-up/definition.ts is the state graph).
 */
export class PostDischargeFollowUpWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly steps: FollowUpSteps;

  constructor(scope: Construct, id: string, props: { config: StageConfig; table: Table; logKey: IKey }) {
    super(scope, id);
    const fn = (stepId: string, handlerDir: string, siteConfig?: Partial<SiteConfig>) =>
      new ServiceFunction(this, stepId, {
        config: props.config,
        logKey: props.logKey,
        handlerDir,
        siteConfig,
        environment: { TABLE_NAME: props.table.tableName },
      }).fn;
    this.steps = {
      planFollowUp: fn('PlanFollowUp', 'plan-follow-up', { facilityHolidays: props.config.facilityHolidays, facilityTimeZones: props.config.facilityTimeZones }),
      checkFollowUp: fn('CheckFollowUp', 'check-follow-up', { facilityTimeZones: props.config.facilityTimeZones }),
      escalateMissedFollowUp: fn('EscalateMissedFollowUp', 'escalate-missed-follow-up'),
      closeFollowUp: fn('CloseFollowUp', 'close-follow-up', { facilityTimeZones: props.config.facilityTimeZones }),
      sendSatisfactionSurvey: fn('SendSatisfactionSurvey', 'send-satisfaction-survey'),
    };
    for (const step of [this.steps.planFollowUp, this.steps.checkFollowUp, this.steps.escalateMissedFollowUp, this.steps.closeFollowUp, this.steps.sendSatisfactionSurvey]) {
      props.table.grantReadWriteData(step);
    }
    this.stateMachine = workflowStateMachine(this, {
      config: props.config,
      logKey: props.logKey,
      table: props.table,
      workflow: 'post-discharge-follow-up',
      comment: 'Transitional care after discharge: contact in 2 business days, visit by day 7 or 14, 30-day window (CPT 99495/99496).',
      definition: buildFollowUpDefinition(this, this.steps),
      // The 30-day service period plus room for a redrive.
      timeout: Duration.days(45),
    });
  }
}
