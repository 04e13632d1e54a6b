import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { StageConfig } from '../config/stage';
import type { ApiRoute } from './route';

const { GET, POST, PUT } = HttpMethod;

const roster = (config: StageConfig) => ({ CARE_MANAGER_ROSTER: JSON.stringify(config.careManagers) });

/** Scheduling, complaints and grievances, satisfaction, caseloads, service metrics. */
export const PATIENT_SERVICES_ROUTES: ApiRoute[] = [
  { method: POST, path: '/v1/practitioners/{practitionerId}/slots', handler: 'publish-slots', data: 'write' },
  { method: GET, path: '/v1/practitioners/{practitionerId}/slots', handler: 'list-slots', data: 'read' },
  { method: POST, path: '/v1/encounters/{id}/appointments', handler: 'book-appointment', data: 'write' },
  { method: PUT, path: '/v1/appointments/{appointmentId}', handler: 'reschedule-appointment', data: 'write' },
  { method: POST, path: '/v1/appointments/{appointmentId}/cancel', handler: 'cancel-appointment', data: 'write' },
  { method: GET, path: '/v1/patients/{id}/appointments.ics', handler: 'export-patient-appointments', data: 'read' },
  {
    method: POST,
    path: '/v1/encounters/{id}/grievances',
    handler: 'file-grievance',
    data: 'write',
    environment: (config) => ({ GRIEVANCE_POLICY: JSON.stringify(config.grievancePolicy) }),
  },
  { method: GET, path: '/v1/encounters/{id}/grievances/{grievanceId}', handler: 'get-grievance', data: 'read', readsExecutionsOf: ['grievance'] },
  { method: POST, path: '/v1/encounters/{id}/grievances/{grievanceId}/acknowledgement', handler: 'acknowledge-grievance', data: 'write' },
  { method: POST, path: '/v1/encounters/{id}/grievances/{grievanceId}/notes', handler: 'add-grievance-note', data: 'write' },
  { method: POST, path: '/v1/encounters/{id}/grievances/{grievanceId}/decision', handler: 'decide-grievance', data: 'write' },
  { method: PUT, path: '/v1/encounters/{id}/satisfaction-survey', handler: 'answer-satisfaction-survey', data: 'write' },
  { method: GET, path: '/v1/satisfaction', handler: 'get-satisfaction-scores', data: 'read' },
  { method: GET, path: '/v1/care-managers/{careManagerId}/caseload', handler: 'get-caseload', data: 'read', environment: roster },
  { method: PUT, path: '/v1/encounters/{id}/care-manager', handler: 'reassign-care-manager', data: 'write', environment: roster },
  { method: GET, path: '/v1/metrics', handler: 'get-service-metrics', data: 'read' },
];
