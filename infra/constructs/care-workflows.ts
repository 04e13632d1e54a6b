import { Duration } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { buildDischargePlanningDefinition, type DischargePlanningSteps } from '../../workflows/discharge-planning/definition';
import { buildFollowUpDefinition, type FollowUpSteps } from '../../workflows/post-discharge-follow-up/definition';
import { buildGrievanceDefinition, type GrievanceSteps } from '../../workflows/grievance/definition';
import { buildTransferDefinition, type TransferSteps } from '../../workflows/transfer/definition';
import type { StageConfig } from '../config/stage';
import type { WorkflowSpec } from './care-workflow';

const timeZones = (config: StageConfig) => ({ facilityTimeZones: config.facilityTimeZones });

/** The four state machines as data: each one's steps, graph, comment and time limit (CareWorkflow builds them). */
export const DISCHARGE_PLANNING: WorkflowSpec<
  Exclude<keyof DischargePlanningSteps, 'openOperatorTask'>,
  DischargePlanningSteps,
  { followUpStateMachine: sfn.IStateMachine }
> = {
  workflow: 'discharge-planning',
  comment: 'Discharge planning from admission to discharge and follow-up (42 CFR 482.43).',
  // A stay longer than this is reviewed by hand; Standard executions may run a year.
  timeout: Duration.days(180),
  steps: {
    screenPatient: { id: 'ScreenPatient', handler: 'screen-patient', siteConfig: timeZones },
    openCareTask: { id: 'OpenCareTask', handler: 'open-care-task' },
    buildDischargePlan: { id: 'BuildDischargePlan', handler: 'build-discharge-plan' },
    offerChoiceList: { id: 'OfferChoiceList', handler: 'offer-choice-list' },
    pickReferralProviders: { id: 'PickReferralProviders', handler: 'pick-referral-providers' },
    awaitReferralAnswer: { id: 'AwaitReferralAnswer', handler: 'await-referral-answer' },
    tallyReferrals: { id: 'TallyReferrals', handler: 'tally-referrals' },
    checkDischargeReadiness: { id: 'CheckDischargeReadiness', handler: 'check-discharge-readiness', siteConfig: timeZones },
    recordDischarge: { id: 'RecordDischarge', handler: 'record-discharge' },
    sendTransitionRecord: { id: 'SendTransitionRecord', handler: 'send-transition-record' },
  },
  answersOwnTasks: ['openCareTask', 'awaitReferralAnswer'],
  definition: (scope, steps, { table, followUpStateMachine }) =>
    buildDischargePlanningDefinition(scope, table, steps, followUpStateMachine),
};

export const POST_DISCHARGE_FOLLOW_UP: WorkflowSpec<keyof FollowUpSteps, FollowUpSteps, object> = {
  workflow: 'post-discharge-follow-up',
  comment: 'Transitional care after discharge: contact in 2 business days, visit by day 7 or 14, 30-day window (CPT 99495/99496).',
  // The 30-day service period plus room for a redrive.
  timeout: Duration.days(45),
  steps: {
    planFollowUp: {
      id: 'PlanFollowUp',
      handler: 'plan-follow-up',
      siteConfig: (config) => ({ facilityHolidays: config.facilityHolidays, ...timeZones(config) }),
    },
    checkFollowUp: { id: 'CheckFollowUp', handler: 'check-follow-up', siteConfig: timeZones },
    escalateMissedFollowUp: { id: 'EscalateMissedFollowUp', handler: 'escalate-missed-follow-up' },
    closeFollowUp: { id: 'CloseFollowUp', handler: 'close-follow-up', siteConfig: timeZones },
    sendSatisfactionSurvey: { id: 'SendSatisfactionSurvey', handler: 'send-satisfaction-survey' },
  },
  definition: (scope, steps) => buildFollowUpDefinition(scope, steps),
};

export const TRANSFER: WorkflowSpec<Exclude<keyof TransferSteps, 'openOperatorTask'>, TransferSteps, object> = {
  workflow: 'transfer',
  comment: 'Transfer to another facility: ask receiving facilities in turn, records, transport, arrival; a cancel compensates.',
  timeout: Duration.days(14),
  steps: {
    askReceivingFacility: { id: 'AskReceivingFacility', handler: 'ask-receiving-facility' },
    awaitTransfer: { id: 'AwaitTransfer', handler: 'await-transfer' },
    recordNoAnswer: { id: 'RecordNoAnswer', handler: 'record-no-answer' },
    sendTransferRecords: { id: 'SendTransferRecords', handler: 'send-transfer-records' },
    closeTransfer: { id: 'CloseTransfer', handler: 'close-transfer' },
    compensateTransfer: { id: 'CompensateTransfer', handler: 'compensate-transfer' },
  },
  answersOwnTasks: ['awaitTransfer'],
  definition: (scope, steps) => buildTransferDefinition(scope, steps),
};

export const GRIEVANCE: WorkflowSpec<Exclude<keyof GrievanceSteps, 'openOperatorTask'>, GrievanceSteps, object> = {
  workflow: 'grievance',
  comment: 'Grievances (42 CFR 482.13): named contact, written acknowledgement and decision by their deadlines, QIO referral.',
  // The resolution deadline, 60 days of escalation, and room for a redrive.
  timeout: Duration.days(120),
  steps: {
    openGrievance: { id: 'OpenGrievance', handler: 'open-grievance' },
    referGrievanceToQio: { id: 'ReferGrievanceToQio', handler: 'refer-grievance-to-qio' },
    awaitGrievance: { id: 'AwaitGrievance', handler: 'await-grievance' },
    escalateGrievance: { id: 'EscalateGrievance', handler: 'escalate-grievance' },
    closeGrievance: { id: 'CloseGrievance', handler: 'close-grievance' },
  },
  answersOwnTasks: ['awaitGrievance'],
  definition: (scope, steps) => buildGrievanceDefinition(scope, steps),
};
