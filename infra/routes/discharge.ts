import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ApiRoute } from './route';

const { GET, POST, PUT } = HttpMethod;

/** Discharge planning's people steps, the transition record, follow-up after discharge, transfers. */
export const DISCHARGE_ROUTES: ApiRoute[] = [
  {
    method: PUT,
    path: '/v1/encounters/{id}/medication-reconciliation',
    handler: 'reconcile-medications',
    access: 'medications',
    data: 'write',
  },
  {
    method: POST,
    path: '/v1/encounters/{id}/medication-reconciliation/acknowledgements',
    handler: 'acknowledge-interaction',
    access: 'medications',
    data: 'write',
  },
  { method: PUT, path: '/v1/encounters/{id}/patient-choice', handler: 'record-patient-choice', access: 'coordination', data: 'write' },
  { method: PUT, path: '/v1/encounters/{id}/service-arrangements', handler: 'arrange-services', access: 'coordination', data: 'write' },
  { method: GET, path: '/v1/encounters/{id}/transition-record', handler: 'get-transition-record', access: 'read-clinical', data: 'read' },
  { method: GET, path: '/v1/encounters/{id}/referrals', handler: 'list-referrals', access: 'read-clinical', data: 'read' },
  {
    method: POST,
    path: '/v1/encounters/{id}/referrals/{referralId}/answer',
    handler: 'answer-referral',
    access: 'coordination',
    data: 'write',
  },
  {
    method: POST,
    path: '/v1/encounters/{id}/follow-up/contacts',
    handler: 'record-follow-up-contact',
    access: 'coordination',
    data: 'write',
  },
  { method: PUT, path: '/v1/encounters/{id}/follow-up/visit', handler: 'record-follow-up-visit', access: 'coordination', data: 'write' },
  { method: POST, path: '/v1/encounters/{id}/transfers', handler: 'request-transfer', access: 'coordination', data: 'write' },
  {
    method: GET,
    path: '/v1/encounters/{id}/transfers/{transferId}',
    handler: 'get-transfer',
    access: 'read-clinical',
    data: 'read',
    readsExecutionsOf: ['transfer'],
  },
  {
    method: POST,
    path: '/v1/encounters/{id}/transfers/{transferId}/answer',
    handler: 'answer-transfer',
    access: 'coordination',
    data: 'write',
  },
  {
    method: PUT,
    path: '/v1/encounters/{id}/transfers/{transferId}/transport',
    handler: 'arrange-transfer-transport',
    access: 'coordination',
    data: 'write',
  },
  {
    method: POST,
    path: '/v1/encounters/{id}/transfers/{transferId}/arrival',
    handler: 'confirm-transfer-arrival',
    access: 'coordination',
    data: 'write',
  },
  {
    method: POST,
    path: '/v1/encounters/{id}/transfers/{transferId}/cancel',
    handler: 'cancel-transfer',
    access: 'coordination',
    data: 'write',
  },
];
