import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../infra/routes/all';
import { ROLES, rolesOf, type Role } from '../../shared/domain/access';

/**
 * What the access table must say, written out by hand rather than read from it: the access-matrix
 * test proves the table is enforced on every route, this proves the table says what the hospital
 * means on the routes where a wrong line would hurt most.
 */
const allowedOn = (route: string): readonly Role[] => {
  const found = API_ROUTES.find((r) => `${r.method} ${r.path}` === route);
  if (!found) throw new Error(`no route ${route}`);
  return rolesOf(found.access);
};

const INTENT: Array<[route: string, allowed: Role[], refused: Role[]]> = [
  ['POST /v1/adt', ['integration-client'], ['care-manager', 'nurse', 'physician', 'operator', 'auditor', 'patient-services']],
  [
    'POST /v1/encounters/{id}/orders',
    ['physician'],
    ['nurse', 'pharmacist', 'care-manager', 'social-worker', 'patient-services', 'operator', 'auditor'],
  ],
  [
    'PUT /v1/encounters/{id}/goals-of-care',
    ['physician'],
    ['nurse', 'care-manager', 'social-worker', 'patient-services', 'operator', 'auditor'],
  ],
  [
    'PUT /v1/encounters/{id}/medication-reconciliation',
    ['pharmacist', 'physician', 'nurse'],
    ['care-manager', 'social-worker', 'patient-services', 'operator', 'auditor'],
  ],
  [
    'POST /v1/encounters/{id}/medication-reconciliation/acknowledgements',
    ['pharmacist', 'physician'],
    ['care-manager', 'social-worker', 'patient-services', 'operator', 'auditor'],
  ],
  [
    'GET /v1/patients/{id}/audit',
    ['auditor'],
    ['care-manager', 'nurse', 'physician', 'operator', 'patient-services', 'integration-client'],
  ],
  ['GET /v1/encounters/{id}/care-plan', ['care-manager', 'nurse', 'physician', 'auditor'], ['operator', 'patient-services']],
  ['PUT /v1/encounters/{id}/care-plan', ['care-manager', 'nurse', 'physician'], ['auditor', 'operator', 'patient-services', 'pharmacist']],
  ['GET /v1/fhir/Patient/{id}/$everything', ['care-manager', 'physician', 'auditor'], ['operator', 'patient-services']],
  ['GET /v1/encounters/{id}/transition-record', ['care-manager', 'physician'], ['operator', 'patient-services']],
  ['GET /v1/encounters/{id}/observations', ['nurse', 'physician'], ['operator', 'patient-services']],
  ['GET /v1/encounters/{id}/orders', ['physician', 'nurse', 'pharmacist', 'care-manager', 'auditor'], ['operator', 'patient-services']],
  [
    'GET /v1/patients/{id}/allergies',
    ['physician', 'nurse', 'pharmacist', 'care-manager', 'social-worker', 'auditor'],
    ['operator', 'patient-services'],
  ],
  [
    'PUT /v1/patients/{id}/allergies',
    ['physician', 'nurse', 'pharmacist'],
    ['care-manager', 'social-worker', 'patient-services', 'operator', 'auditor'],
  ],
  [
    'POST /v1/encounters/{id}/grievances/{grievanceId}/decision',
    ['patient-services', 'care-manager'],
    ['nurse', 'physician', 'operator', 'auditor'],
  ],
  [
    'PUT /v1/encounters/{id}/needs-assessment',
    ['care-manager', 'social-worker'],
    ['nurse', 'physician', 'operator', 'auditor', 'patient-services'],
  ],
  ['GET /v1/metrics', ['care-manager', 'auditor', 'operator'], ['nurse', 'physician', 'pharmacist']],
];

describe('the access table says what the hospital means', () => {
  it.each(INTENT)('%s', (route, allowed, refused) => {
    const roles = allowedOn(route);
    expect(allowed.filter((role) => !roles.includes(role))).toEqual([]);
    expect(refused.filter((role) => roles.includes(role))).toEqual([]);
  });

  it('gives auditors no write and operators no write but completing their own tasks', () => {
    const writes = API_ROUTES.filter((r) => r.method !== 'GET');
    expect(writes.filter((r) => rolesOf(r.access).includes('auditor')).map((r) => r.path)).toEqual([]);
    expect(writes.filter((r) => rolesOf(r.access).includes('operator')).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/tasks/{taskId}/complete',
    ]);
  });

  it('names every role somewhere', () => {
    for (const role of ROLES)
      expect(
        API_ROUTES.some((r) => rolesOf(r.access).includes(role)),
        role,
      ).toBe(true);
  });
});
