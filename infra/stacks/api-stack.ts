import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { physicalName, type StageConfig } from '../config/stage';
import { ApiClients } from '../constructs/api-clients';
import { CarepathHttpApi } from '../constructs/http-api';
import { ServiceFunction } from '../constructs/service-function';
import { acknowledgeStackFindings } from '../nag-acknowledgements';
import type { CarepathStack } from './carepath-stack';

export interface CarepathApiStackProps extends StackProps {
  config: StageConfig;
  core: CarepathStack;
}

/**
 * The HTTP API: the Cognito app clients, the routes, and one function per route (functions/<route>).
 * Everything it reads or starts lives in the core stack.
 */
export class CarepathApiStack extends Stack {
  readonly http: CarepathHttpApi;

  constructor(scope: Construct, id: string, props: CarepathApiStackProps) {
    super(scope, id, props);
    const { config } = props;
    // By name, not by reference: the core stack can change without export locks, and the grants
    // below read as the exact table and state machines they name.
    const { logKey } = props.core;
    const table = Table.fromTableName(this, 'CareTable', physicalName(config, 'care-record'));
    const dischargePlanning = { stateMachine: StateMachine.fromStateMachineName(this, 'DischargePlanning', physicalName(config, 'discharge-planning')) };
    const followUp = { stateMachine: StateMachine.fromStateMachineName(this, 'FollowUp', physicalName(config, 'post-discharge-follow-up')) };
    const transfer = { stateMachine: StateMachine.fromStateMachineName(this, 'Transfer', physicalName(config, 'transfer')) };
    const grievance = { stateMachine: StateMachine.fromStateMachineName(this, 'Grievance', physicalName(config, 'grievance')) };
    this.addStackDependency(props.core);
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
    const requestTransfer = api('RequestTransfer', 'request-transfer');
    const getTransfer = api('GetTransfer', 'get-transfer', { TRANSFER_STATE_MACHINE_ARN: transfer.stateMachine.stateMachineArn });
    const answerTransfer = api('AnswerTransfer', 'answer-transfer');
    const arrangeTransferTransport = api('ArrangeTransferTransport', 'arrange-transfer-transport');
    const confirmTransferArrival = api('ConfirmTransferArrival', 'confirm-transfer-arrival');
    const cancelTransfer = api('CancelTransfer', 'cancel-transfer');
    const publishSlots = api('PublishSlots', 'publish-slots');
    const listSlots = api('ListSlots', 'list-slots');
    const bookAppointment = api('BookAppointment', 'book-appointment');
    const rescheduleAppointment = api('RescheduleAppointment', 'reschedule-appointment');
    const cancelAppointment = api('CancelAppointment', 'cancel-appointment');
    const exportPatientAppointments = api('ExportPatientAppointments', 'export-patient-appointments');
    const fileGrievance = api('FileGrievance', 'file-grievance', { GRIEVANCE_POLICY: JSON.stringify(config.grievancePolicy) });
    const getGrievance = api('GetGrievance', 'get-grievance', { GRIEVANCE_STATE_MACHINE_ARN: grievance.stateMachine.stateMachineArn });
    const acknowledgeGrievance = api('AcknowledgeGrievance', 'acknowledge-grievance');
    const addGrievanceNote = api('AddGrievanceNote', 'add-grievance-note');
    const decideGrievance = api('DecideGrievance', 'decide-grievance');
    grievance.stateMachine.grantRead(getGrievance);
    const answerSatisfactionSurvey = api('AnswerSatisfactionSurvey', 'answer-satisfaction-survey');
    const getSatisfactionScores = api('GetSatisfactionScores', 'get-satisfaction-scores');
    const roster = { CARE_MANAGER_ROSTER: JSON.stringify(config.careManagers) };
    const getCaseload = api('GetCaseload', 'get-caseload', roster);
    const reassignCareManager = api('ReassignCareManager', 'reassign-care-manager', roster);
    table.grantReadData(getTransfer);
    transfer.stateMachine.grantRead(getTransfer);
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
      requestTransfer,
      answerTransfer,
      arrangeTransferTransport,
      confirmTransferArrival,
      cancelTransfer,
      publishSlots,
      bookAppointment,
      rescheduleAppointment,
      cancelAppointment,
      fileGrievance,
      acknowledgeGrievance,
      addGrievanceNote,
      decideGrievance,
      answerSatisfactionSurvey,
      reassignCareManager,
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
      listSlots,
      exportPatientAppointments,
      getGrievance,
      getSatisfactionScores,
      getCaseload,
    ]) {
      table.grantReadData(reader);
    }
    table.grantReadData(getEncounter);
    dischargePlanning.stateMachine.grantRead(getEncounter);
    followUp.stateMachine.grantRead(getEncounter);

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
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/transfers', fn: requestTransfer },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/transfers/{transferId}', fn: getTransfer },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/transfers/{transferId}/answer', fn: answerTransfer },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/transfers/{transferId}/transport', fn: arrangeTransferTransport },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/transfers/{transferId}/arrival', fn: confirmTransferArrival },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/transfers/{transferId}/cancel', fn: cancelTransfer },
        { method: HttpMethod.POST, path: '/v1/practitioners/{practitionerId}/slots', fn: publishSlots },
        { method: HttpMethod.GET, path: '/v1/practitioners/{practitionerId}/slots', fn: listSlots },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/appointments', fn: bookAppointment },
        { method: HttpMethod.PUT, path: '/v1/appointments/{appointmentId}', fn: rescheduleAppointment },
        { method: HttpMethod.POST, path: '/v1/appointments/{appointmentId}/cancel', fn: cancelAppointment },
        { method: HttpMethod.GET, path: '/v1/patients/{id}/appointments.ics', fn: exportPatientAppointments },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/grievances', fn: fileGrievance },
        { method: HttpMethod.GET, path: '/v1/encounters/{id}/grievances/{grievanceId}', fn: getGrievance },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/grievances/{grievanceId}/acknowledgement', fn: acknowledgeGrievance },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/grievances/{grievanceId}/notes', fn: addGrievanceNote },
        { method: HttpMethod.POST, path: '/v1/encounters/{id}/grievances/{grievanceId}/decision', fn: decideGrievance },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/satisfaction-survey', fn: answerSatisfactionSurvey },
        { method: HttpMethod.GET, path: '/v1/satisfaction', fn: getSatisfactionScores },
        { method: HttpMethod.GET, path: '/v1/care-managers/{careManagerId}/caseload', fn: getCaseload },
        { method: HttpMethod.PUT, path: '/v1/encounters/{id}/care-manager', fn: reassignCareManager },
      ],
    });

    this.http = http;

    acknowledgeStackFindings(this, {
      table,
      workflowFunctions: [],
      executionUsers: [
        { user: getEncounter, stateMachine: physicalName(config, 'discharge-planning') },
        { user: getEncounter, stateMachine: physicalName(config, 'post-discharge-follow-up') },
        { user: getTransfer, stateMachine: physicalName(config, 'transfer') },
        { user: getGrievance, stateMachine: physicalName(config, 'grievance') },
      ],
    });

    new CfnOutput(this, 'ApiUrl', { value: http.api.apiEndpoint });
    new CfnOutput(this, 'TokenUrl', {
      value: `https://${config.authDomainPrefix}.auth.${this.region}.amazoncognito.com/oauth2/token`,
    });
    new CfnOutput(this, 'ApiClientsUserPoolId', { value: clients.userPool.userPoolId });
  }
}
