import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { StageConfig } from '../config/stage';
import type { ApiRoute } from './route';

const { GET, POST, PUT } = HttpMethod;

const roster = (config: StageConfig) => ({ careManagers: config.careManagers });

/** Scheduling, complaints and grievances, satisfaction, caseloads, service metrics. */
export const PATIENT_SERVICES_ROUTES: ApiRoute[] = [
  { method: POST, path: '/v1/practitioners/{practitionerId}/slots', handler: 'publish-slots', access: 'scheduling', data: 'write' },
  { method: GET, path: '/v1/practitioners/{practitionerId}/slots', handler: 'list-slots', access: 'scheduling', data: 'read' },
  { method: POST, path: '/v1/encounters/{id}/appointments', handler: 'book-appointment', access: 'scheduling', data: 'write' },
  { method: PUT, path: '/v1/appointments/{appointmentId}', handler: 'reschedule-appointment', access: 'scheduling', data: 'write' },
  { method: POST, path: '/v1/appointments/{appointmentId}/cancel', handler: 'cancel-appointment', access: 'scheduling', data: 'write' },
  { method: GET, path: '/v1/patients/{id}/appointments.ics', handler: 'export-patient-appointments', access: 'scheduling', data: 'read' },
  {
    method: POST,
    path: '/v1/encounters/{id}/grievances',
    handler: 'file-grievance',
    access: 'file-grievance',
    data: 'write',
    environment: (config) => ({ GRIEVANCE_POLICY: JSON.stringify(config.grievancePolicy) }),
  },
  {
    method: GET,
    path: '/v1/encounters/{id}/grievances/{grievanceId}',
    handler: 'get-grievance',
    access: 'patient-relations',
    data: 'read',
    readsExecutionsOf: ['grievance'],
  },
  {
    method: POST,
    path: '/v1/encounters/{id}/grievances/{grievanceId}/acknowledgement',
    handler: 'acknowledge-grievance',
    access: 'patient-relations',
    data: 'write',
  },
  {
    method: POST,
    path: '/v1/encounters/{id}/grievances/{grievanceId}/notes',
    handler: 'add-grievance-note',
    access: 'patient-relations',
    data: 'write',
  },
  {
    method: POST,
    path: '/v1/encounters/{id}/grievances/{grievanceId}/decision',
    handler: 'decide-grievance',
    access: 'patient-relations',
    data: 'write',
  },
  {
    method: PUT,
    path: '/v1/encounters/{id}/satisfaction-survey',
    handler: 'answer-satisfaction-survey',
    access: 'patient-relations',
    data: 'write',
  },
  { method: GET, path: '/v1/satisfaction', handler: 'get-satisfaction-scores', access: 'reports', data: 'read' },
  {
    method: GET,
    path: '/v1/care-managers/{careManagerId}/caseload',
    handler: 'get-caseload',
    access: 'reports',
    data: 'read',
    siteConfig: roster,
  },
  {
    method: PUT,
    path: '/v1/encounters/{id}/care-manager',
    handler: 'reassign-care-manager',
    access: 'coordination',
    data: 'write',
    siteConfig: roster,
  },
  { method: GET, path: '/v1/metrics', handler: 'get-service-metrics', access: 'reports', data: 'read' },
];
