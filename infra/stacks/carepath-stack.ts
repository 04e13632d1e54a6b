import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { StartingPosition, FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stage';
import { CareTable } from '../constructs/care-table';
import { DischargePlanningWorkflow } from '../constructs/discharge-planning-workflow';
import { PostDischargeFollowUpWorkflow } from '../constructs/post-discharge-follow-up-workflow';
import { ApiClients } from '../constructs/api-clients';
import { CarepathHttpApi } from '../constructs/http-api';
import { ObservabilityKey } from '../constructs/observability-key';
import { OperationsAlarms } from '../constructs/operations-alarms';
import { ServiceFunction } from '../constructs/service-function';
import { acknowledgeStackFindings } from '../nag-acknowledgements';
import { AUDITED_ENTITY_TYPES } from '../../shared/domain/audit';
import { CARE_EVENT_SOURCE } from '../../shared/domain/care-events';

export interface CarepathStackProps extends StackProps {
  config: StageConfig;
}

/**
 * One stack: table, workflows, triggers and API. Kept together because the local stack resolves
 * references inside a single template; split it when a piece needs its own lifecycle.
 */
export class CarepathStack extends Stack {
  constructor(scope: Construct, id: string, props: CarepathStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { key: logKey } = new ObservabilityKey(this, 'ObservabilityKey', { config });
    const { table } = new CareTable(this, 'CareRecord', { config });
    // Every workflow's "Needs attention" states open their operator task through this one step.
    const openOperatorTask = new ServiceFunction(this, 'OpenOperatorTask', { config, logKey, handlerDir: 'open-operator-task', environment: { TABLE_NAME: table.tableName } }).fn;
    table.grantReadWriteData(openOperatorTask);
    const followUp = new PostDischargeFollowUpWorkflow(this, 'PostDischargeFollowUp', { config, table, logKey, openOperatorTask });
    const dischargePlanning = new DischargePlanningWorkflow(this, 'DischargePlanning', {
      config,
      table,
      logKey,
      followUpStateMachine: followUp.stateMachine,
      openOperatorTask,
    });

    const api = (id: string, handlerDir: string, extra: Record<string, string> = {}) =>
      new ServiceFunction(this, id, { config, logKey, handlerDir, environment: { TABLE_NAME: table.tableName, ...extra } }).fn;

    const admitPatient = api('AdmitPatient', 'admit-patient');
    const getEncounter = api('GetEncounter', 'get-encounter', {
      DISCHARGE_PLANNING_STATE_MACHINE_ARN: dischargePlanning.stateMachine.stateMachineArn,
      FOLLOW_UP_STATE_MACHINE_ARN: followUp.stateMachine.stateMachineArn,
    });
    const listTasks = api('ListTasks', 'list-tasks');
    const completeTask = api('CompleteTask', 'complete-task');
    const receiveAdt = api('ReceiveAdt', 'receive-adt');
    const registerPatient = api('RegisterPatient', 'register-patient');
    const getPatient = api('GetPatient', 'get-patient');
    const updatePatient = api('UpdatePatient', 'update-patient');
    const findPatients = api('FindPatients', 'find-patients');
    const listPatientEncounters = api('ListPatientEncounters', 'list-patient-encounters');
    const getFhirPatient = api('GetFhirPatient', 'get-fhir-patient');
    const getFhirEncounter = api('GetFhirEncounter', 'get-fhir-encounter');
    const getReadmissionRisk = api('GetReadmissionRisk', 'get-readmission-risk');
    const recordRiskInputs = api('RecordRiskInputs', 'record-risk-inputs');
    const overrideRiskTier = api('OverrideRiskTier', 'override-risk-tier');
    const recordGoalsAndPreferences = api('RecordGoalsAndPreferences', 'record-goals-and-preferences');
    const recordGoalsOfCare = api('RecordGoalsOfCare', 'record-goals-of-care');
    const addEducationItem = api('AddEducationItem', 'add-education-item');
    const listEducation = api('ListEducation', 'list-education');
    const recordTeachBack = api('RecordTeachBack', 'record-teach-back');
    const recordNeedsAssessment = api('RecordNeedsAssessment', 'record-needs-assessment');
    const decideServiceSuggestion = api('DecideServiceSuggestion', 'decide-service-suggestion');
    const addCareTeamMember = api('AddCareTeamMember', 'add-care-team-member');
    const getCareTeam = api('GetCareTeam', 'get-care-team');
    const setLeadCareManager = api('SetLeadCareManager', 'set-lead-care-manager');
    const postTeamMessage = api('PostTeamMessage', 'post-team-message');
    const listTeamMessages = api('ListTeamMessages', 'list-team-messages');
    const getCarePlan = api('GetCarePlan', 'get-care-plan');
    const saveCarePlan = api('SaveCarePlan', 'save-care-plan');
    const getCarePlanHistory = api('GetCarePlanHistory', 'get-care-plan-history');
    const listCarePlanTemplates = api('ListCarePlanTemplates', 'list-care-plan-templates');
    const recordObservation = api('RecordObservation', 'record-observation');
    const listObservations = api('ListObservations', 'list-observations');
    const listAlerts = api('ListAlerts', 'list-alerts');
    const getPatientAudit = api('GetPatientAudit', 'get-patient-audit');
    const exportPatientEverything = api('ExportPatientEverything', 'export-patient-everything');
    const placeOrder = api('PlaceOrder', 'place-order');
    const reconcileMedications = api('ReconcileMedications', 'reconcile-medications');
    const acknowledgeInteraction = api('AcknowledgeInteraction', 'acknowledge-interaction');
    const recordPatientChoice = api('RecordPatientChoice', 'record-patient-choice');
    const getTransitionRecord = api('GetTransitionRecord', 'get-transition-record');
    const answerReferral = api('AnswerReferral', 'answer-referral');
    const arrangeServices = api('ArrangeServices', 'arrange-services');
    const listReferrals = api('ListReferrals', 'list-referrals');
    const recordFollowUpContact = api('RecordFollowUpContact', 'record-follow-up-contact');
    const recordFollowUpVisit = api('RecordFollowUpVisit', 'record-follow-up-visit');
    table.grantReadWriteData(admitPatient);
    table.grantReadData(listTasks);
    table.grantReadWriteData(completeTask);
    table.grantReadWriteData(receiveAdt);
    for (const writer of [
      registerPatient,
      updatePatient,
      recordRiskInputs,
      overrideRiskTier,
      recordGoalsAndPreferences,
      recordGoalsOfCare,
      addEducationItem,
      recordTeachBack,
      recordNeedsAssessment,
      decideServiceSuggestion,
      addCareTeamMember,
      setLeadCareManager,
      postTeamMessage,
      saveCarePlan,
      recordObservation,
      placeOrder,
      reconcileMedications,
      acknowledgeInteraction,
      recordPatientChoice,
      answerReferral,
      arrangeServices,
      recordFollowUpContact,
      recordFollowUpVisit,
    ]) {
      table.grantReadWriteData(writer);
    }
    for (const reader of [
      getPatient,
      findPatients,
      listPatientEncounters,
      getFhirPatient,
      getFhirEncounter,
      getReadmissionRisk,
      listEducation,
      getCareTeam,
      listTeamMessages,
      getCarePlan,
      getCarePlanHistory,
      listObservations,
      listAlerts,
      getPatientAudit,
      exportPatientEverything,
      getTransitionRecord,
      listReferrals,
    ]) {
      table.grantReadData(reader);
    }
    table.grantReadData(getEncounter);
    dischargePlanning.stateMachine.grantRead(getEncounter);
    followUp.stateMachine.grantRead(getEncounter);

    // The table's stream drives the workflows (an outbox): a stored admission starts discharge
    // planning, a completed task resumes its execution. Failed batches are retried, then their
    // stream position is parked in a dead-letter queue and an alarm fires.
    const reactToChanges = api('ReactToRecordChanges', 'react-to-record-changes', {
      DISCHARGE_PLANNING_STATE_MACHINE_ARN: dischargePlanning.stateMachine.stateMachineArn,
      FOLLOW_UP_STATE_MACHINE_ARN: followUp.stateMachine.stateMachineArn,
    });
    table.grantReadWriteData(reactToChanges);
    dischargePlanning.stateMachine.grantStartExecution(reactToChanges);
    dischargePlanning.stateMachine.grantExecution(reactToChanges, 'states:StopExecution');
    dischargePlanning.stateMachine.grantTaskResponse(reactToChanges);
    followUp.stateMachine.grantExecution(reactToChanges, 'states:StopExecution');
    // Also the dead-letter queue of the scheduled sweep's invocations.
    const triggerDlq = new sqs.Queue(this, 'RecordChangesDlq', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    reactToChanges.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        retryAttempts: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(triggerDlq),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { entityType: { S: FilterRule.isEqual('Encounter') } } },
          }),
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('MODIFY'),
            dynamodb: { NewImage: { entityType: { S: FilterRule.or('CareTask', 'Referral') }, resume: { S: FilterRule.isEqual('pending') } } },
          }),
        ],
      }),
    );

    // The second (and last: DynamoDB Streams allows two) reader of the stream: every change of a
    // care record becomes a line in its patient's audit trail, and the important ones (alert,
    // plan, risk tier, discharge date) are published on the care-event bus for notifiers.
    const careEvents = new events.EventBus(this, 'CareEvents', { eventBusName: `${config.prefix}-care-events` });
    new events.Archive(this, 'CareEventArchive', {
      sourceEventBus: careEvents,
      eventPattern: { source: [CARE_EVENT_SOURCE] },
      description: 'Every care event, replayable to a notifier that was down.',
      retention: Duration.days(config.stage === 'prod' ? 365 : 30),
    });
    const auditAndAnnounce = api('AuditAndAnnounceChanges', 'audit-and-announce-changes', { CARE_EVENT_BUS_NAME: careEvents.eventBusName });
    table.grantReadWriteData(auditAndAnnounce);
    careEvents.grantPutEventsTo(auditAndAnnounce);
    auditAndAnnounce.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        retryAttempts: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(triggerDlq),
        filters: [
          FilterCriteria.filter({ dynamodb: { NewImage: { entityType: { S: FilterRule.or(...AUDITED_ENTITY_TYPES) } } } }),
          FilterCriteria.filter({ eventName: FilterRule.isEqual('REMOVE'), dynamodb: { OldImage: { entityType: { S: FilterRule.or(...AUDITED_ENTITY_TYPES) } } } }),
        ],
      }),
    );

    // Daily at 06:00 UTC: inpatients with no discharge plan 24 h after admission get a task.
    const sweep = api('SweepUnplannedInpatients', 'sweep-unplanned-inpatients');
    table.grantReadWriteData(sweep);
    new events.Rule(this, 'DailyUnplannedInpatientSweep', {
      ruleName: `${config.prefix}-unplanned-inpatient-sweep`,
      description: 'Flags inpatients without a discharge plan 24 hours after admission (42 CFR 482.43).',
      schedule: events.Schedule.cron({ minute: '0', hour: '6' }),
      targets: [new targets.LambdaFunction(sweep, { retryAttempts: 2, deadLetterQueue: triggerDlq })],
    });

    // Every 15 minutes: a task past its due time is escalated to the stay's lead care manager.
    const escalate = api('EscalateOverdueTasks', 'escalate-overdue-tasks');
    table.grantReadWriteData(escalate);
    new events.Rule(this, 'OverdueTaskEscalation', {
      ruleName: `${config.prefix}-overdue-task-escalation`,
      description: 'Escalates care tasks past their due time to the lead care manager.',
      schedule: events.Schedule.rate(Duration.minutes(15)),
      targets: [new targets.LambdaFunction(escalate, { retryAttempts: 2, deadLetterQueue: triggerDlq })],
    });


    const clients = new ApiClients(this, 'ApiClients', { config });
    const http = new CarepathHttpApi(this, 'Http', {
      config,
      logKey,
      authorizer: clients.authorizer,
      routes: [
        { method: HttpMethod.POST, path: '/v1/encounters', fn: admitPatient },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}', fn: getEncounter },
        { method: HttpMethod.GET, path: '/v1/tasks', fn: listTasks },
        { method: HttpMethod.POST, path: '/v1/tasks/{taskId}/complete', fn: completeTask },
        { method: HttpMethod.POST, path: '/v1/adt', fn: receiveAdt },
        { method: HttpMethod.POST, path: '/v1/patients', fn: registerPatient },
        { method: HttpMethod.GET, path: '/v1/patients', fn: findPatients },
        { method: HttpMethod.GET, path: '/v1/patients/{id}', fn: getPatient },
        { method: HttpMethod.PUT, path: '/v1/patients/{id}', fn: updatePatient },
        { method: HttpMethod.GET, path: '/v1/patients/{id}/encounters', fn: listPatientEncounters },
        { method: HttpMethod.GET, path: '/v1/fhir/Patient/{id}', fn: getFhirPatient },
        { method: HttpMethod.GET, path: '/v1/fhir/Encounter/{id}', fn: getFhirEncounter },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/risk', fn: getReadmissionRisk },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/risk-inputs', fn: recordRiskInputs },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/risk-override', fn: overrideRiskTier },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/goals-and-preferences', fn: recordGoalsAndPreferences },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/goals-of-care', fn: recordGoalsOfCare },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/education', fn: addEducationItem },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/education', fn: listEducation },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/education/{itemId}/teach-back', fn: recordTeachBack },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/needs-assessment', fn: recordNeedsAssessment },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/needs-assessment/suggestions/{service}', fn: decideServiceSuggestion },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/care-team/members', fn: addCareTeamMember },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/care-team', fn: getCareTeam },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/care-team/lead', fn: setLeadCareManager },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/care-team/messages', fn: postTeamMessage },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/care-team/messages', fn: listTeamMessages },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/care-plan', fn: getCarePlan },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/care-plan', fn: saveCarePlan },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/care-plan/history', fn: getCarePlanHistory },
        { method: HttpMethod.GET, path: '/v1/care-plan-templates', fn: listCarePlanTemplates },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/observations', fn: recordObservation },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/observations', fn: listObservations },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/alerts', fn: listAlerts },
        { method: HttpMethod.GET, path: '/v1/patients/{id}/audit', fn: getPatientAudit },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/orders', fn: placeOrder },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/medication-reconciliation', fn: reconcileMedications },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/medication-reconciliation/acknowledgements', fn: acknowledgeInteraction },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/patient-choice', fn: recordPatientChoice },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/service-arrangements', fn: arrangeServices },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/transition-record', fn: getTransitionRecord },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/referrals', fn: listReferrals },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/referrals/{referralId}/answer', fn: answerReferral },
        { method: HttpMethod.GET, path: '/v1/fhir/Patient/{id}/$everything', fn: exportPatientEverything },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/follow-up/contacts', fn: recordFollowUpContact },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/follow-up/visit', fn: recordFollowUpVisit },
      ],
    });

    new OperationsAlarms(this, 'Alarms', {
      key: logKey,
      // Most stays end within weeks; one still planning after 60 days needs a person's look.
      stateMachines: [
        { machine: dischargePlanning.stateMachine, name: 'Discharge planning', expectedBound: Duration.days(60) },
        // The 30-day window, plus a day for the last check.
        { machine: followUp.stateMachine, name: 'Post-discharge follow-up', expectedBound: Duration.days(31) },
      ],
      deadLetterQueues: [triggerDlq],
      httpApi: http.api,
      table,
      dashboardName: `${config.prefix}-operations`,
    });

    acknowledgeStackFindings(this, {
      table,
      workflowFunctions: [...new Set([...Object.values(dischargePlanning.steps), ...Object.values(followUp.steps)])],
      executionUsers: [
        { user: getEncounter, stateMachine: dischargePlanning.stateMachine },
        { user: getEncounter, stateMachine: followUp.stateMachine },
        { user: reactToChanges, stateMachine: dischargePlanning.stateMachine },
        { user: reactToChanges, stateMachine: followUp.stateMachine },
      ],
      triggerDlq,
    });

    new CfnOutput(this, 'ApiUrl', { value: http.api.apiEndpoint });
    new CfnOutput(this, 'TokenUrl', {
      value: `https://${config.authDomainPrefix}.auth.${this.region}.amazoncognito.com/oauth2/token`,
    });
    new CfnOutput(this, 'ApiClientsUserPoolId', { value: clients.userPool.userPoolId });
    new CfnOutput(this, 'CareEventBusName', { value: careEvents.eventBusName });
    new CfnOutput(this, 'DischargePlanningStateMachineArn', { value: dischargePlanning.stateMachine.stateMachineArn });
    new CfnOutput(this, 'FollowUpStateMachineArn', { value: followUp.stateMachine.stateMachineArn });
  }
}
