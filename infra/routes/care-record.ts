import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { StageConfig } from '../config/stage';
import type { ApiRoute } from './route';
import { STAY_PARTS, STAY_PART_NAMES } from '../../shared/domain/stay-parts';

const { GET, POST, PUT } = HttpMethod;

/** Clinical days (lengths of stay) and HL7 times without an offset are the facility's local time. */
const timeZones = (config: StageConfig) => ({ facilityTimeZones: config.facilityTimeZones });

/** Patients, stays, ADT, tasks, and what the care team records during a stay. */
export const CARE_RECORD_ROUTES: ApiRoute[] = [
  {
    method: POST,
    path: '/v1/adt',
    handler: 'receive-adt',
    access: 'adt-feed',
    data: 'write',
    siteConfig: (config) => ({ ...timeZones(config), adtSendingFacilities: config.adtSendingFacilities }),
  },
  { method: POST, path: '/v1/encounters', handler: 'admit-patient', access: 'registration', data: 'write' },
  {
    method: GET,
    path: '/v1/encounters/{id}',
    handler: 'get-encounter',
    access: 'read-encounter',
    data: 'read',
    readsExecutionsOf: ['discharge-planning', 'post-discharge-follow-up'],
  },
  // Each separately versioned part of a stay: its GET gives the ETag its writes take (one handler
  // serves them all, one function per access policy; the risk's GET computes the score, so it has
  // its own handler below).
  ...STAY_PART_NAMES.filter((part) => part !== 'risk').map(
    (part): ApiRoute => ({
      method: GET,
      path: `/v1/encounters/{id}/${STAY_PARTS[part].path}`,
      handler: 'get-stay-part',
      access: part === 'satisfactionSurvey' ? 'read-survey' : 'read-clinical',
      data: 'read',
    }),
  ),
  { method: GET, path: '/v1/tasks', handler: 'list-tasks', access: 'tasks', data: 'read' },
  {
    method: POST,
    path: '/v1/tasks/{taskId}/complete',
    handler: 'complete-task',
    access: 'tasks',
    data: 'write',
    asksStatusOfExecutionsOf: ['discharge-planning'],
  },
  { method: POST, path: '/v1/patients', handler: 'register-patient', access: 'registration', data: 'write' },
  { method: GET, path: '/v1/patients', handler: 'find-patients', access: 'read-patient', data: 'read' },
  { method: GET, path: '/v1/patients/{id}', handler: 'get-patient', access: 'read-patient', data: 'read' },
  { method: PUT, path: '/v1/patients/{id}', handler: 'update-patient', access: 'registration', data: 'write' },
  { method: GET, path: '/v1/patients/{id}/encounters', handler: 'list-patient-encounters', access: 'read-patient', data: 'read' },
  { method: GET, path: '/v1/patients/{id}/audit', handler: 'get-patient-audit', access: 'audit', data: 'read' },
  { method: GET, path: '/v1/patients/{id}/allergies', handler: 'get-allergies', access: 'read-clinical', data: 'read' },
  { method: PUT, path: '/v1/patients/{id}/allergies', handler: 'record-allergies', access: 'medications', data: 'write' },
  { method: GET, path: '/v1/fhir/Patient/{id}', handler: 'get-fhir-patient', access: 'read-patient', data: 'read' },
  { method: GET, path: '/v1/fhir/Encounter/{id}', handler: 'get-fhir-encounter', access: 'read-encounter', data: 'read' },
  {
    method: GET,
    path: '/v1/fhir/Patient/{id}/$everything',
    routeKeyPath: '/v1/fhir/Patient/{id}/{operation}',
    handler: 'export-patient-everything',
    access: 'read-clinical',
    data: 'read',
  },
  {
    method: GET,
    path: '/v1/encounters/{id}/risk',
    handler: 'get-readmission-risk',
    access: 'read-clinical',
    data: 'read',
    siteConfig: timeZones,
  },
  {
    method: PUT,
    path: '/v1/encounters/{id}/risk-inputs',
    handler: 'record-risk-inputs',
    access: 'risk',
    data: 'write',
    siteConfig: timeZones,
  },
  {
    method: PUT,
    path: '/v1/encounters/{id}/risk-override',
    handler: 'override-risk-tier',
    access: 'risk',
    data: 'write',
    siteConfig: timeZones,
  },
  {
    method: PUT,
    path: '/v1/encounters/{id}/goals-and-preferences',
    handler: 'record-goals-and-preferences',
    access: 'coordination',
    data: 'write',
  },
  { method: PUT, path: '/v1/encounters/{id}/goals-of-care', handler: 'record-goals-of-care', access: 'physician', data: 'write' },
  { method: POST, path: '/v1/encounters/{id}/education', handler: 'add-education-item', access: 'care-team-notes', data: 'write' },
  { method: GET, path: '/v1/encounters/{id}/education', handler: 'list-education', access: 'read-clinical', data: 'read' },
  {
    method: PUT,
    path: '/v1/encounters/{id}/education/{itemId}/teach-back',
    handler: 'record-teach-back',
    access: 'care-team-notes',
    data: 'write',
  },
  { method: PUT, path: '/v1/encounters/{id}/needs-assessment', handler: 'record-needs-assessment', access: 'coordination', data: 'write' },
  {
    method: PUT,
    path: '/v1/encounters/{id}/needs-assessment/suggestions/{service}',
    handler: 'decide-service-suggestion',
    access: 'coordination',
    data: 'write',
  },
  { method: POST, path: '/v1/encounters/{id}/care-team/members', handler: 'add-care-team-member', access: 'coordination', data: 'write' },
  { method: GET, path: '/v1/encounters/{id}/care-team', handler: 'get-care-team', access: 'read-encounter', data: 'read' },
  { method: PUT, path: '/v1/encounters/{id}/care-team/lead', handler: 'set-lead-care-manager', access: 'coordination', data: 'write' },
  { method: POST, path: '/v1/encounters/{id}/care-team/messages', handler: 'post-team-message', access: 'care-team-notes', data: 'write' },
  { method: GET, path: '/v1/encounters/{id}/care-team/messages', handler: 'list-team-messages', access: 'read-clinical', data: 'read' },
  { method: GET, path: '/v1/encounters/{id}/care-plan', handler: 'get-care-plan', access: 'read-clinical', data: 'read' },
  { method: PUT, path: '/v1/encounters/{id}/care-plan', handler: 'save-care-plan', access: 'care-plan', data: 'write' },
  { method: GET, path: '/v1/encounters/{id}/care-plan/history', handler: 'get-care-plan-history', access: 'read-clinical', data: 'read' },
  { method: GET, path: '/v1/care-plan-templates', handler: 'list-care-plan-templates', access: 'reference', data: 'none' },
  { method: POST, path: '/v1/encounters/{id}/observations', handler: 'record-observation', access: 'care-team-notes', data: 'write' },
  { method: GET, path: '/v1/encounters/{id}/observations', handler: 'list-observations', access: 'read-clinical', data: 'read' },
  { method: GET, path: '/v1/encounters/{id}/alerts', handler: 'list-alerts', access: 'read-clinical', data: 'read' },
  { method: POST, path: '/v1/encounters/{id}/orders', handler: 'place-order', access: 'physician', data: 'write' },
  { method: GET, path: '/v1/encounters/{id}/orders', handler: 'list-orders', access: 'read-clinical', data: 'read' },
];
