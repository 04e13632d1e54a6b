import { afterEach, describe, expect, it } from 'vitest';
import { callerOf } from '../../shared/http/caller';

const withClaims = (claims: Record<string, unknown>) => claims;

describe('the caller, from the verified claims of its token', () => {
  afterEach(() => {
    delete process.env.ALLOWED_ROLES;
  });

  it('reads a machine client’s facility and roles from its scopes', () => {
    process.env.ALLOWED_ROLES = 'care-manager,integration-client';
    expect(callerOf(withClaims({ client_id: 'ehr', scope: 'carepath/facility.F1 carepath/role.integration-client' }))).toEqual({
      clientId: 'ehr',
      facilityId: 'F1',
      roles: ['integration-client'],
    });
  });

  it('reads a person’s facility and roles from Cognito groups, as the token has them or API Gateway flattens them ("[a b]")', () => {
    process.env.ALLOWED_ROLES = 'nurse';
    expect(
      callerOf(withClaims({ client_id: 'app', username: 'n.one', 'cognito:groups': ['facility.F2', 'nurse'], scope: 'openid' })),
    ).toMatchObject({ facilityId: 'F2', roles: ['nurse'] });
    process.env.ALLOWED_ROLES = 'nurse';
    expect(
      callerOf(withClaims({ client_id: 'app', username: 'n.one', 'cognito:groups': '[facility.F2 nurse unknown-group]', scope: 'openid' })),
    ).toEqual({
      clientId: 'app/n.one',
      facilityId: 'F2',
      roles: ['nurse'],
    });
  });

  it('refuses a role the route does not allow, no role, two facilities, and every role where the route names none', () => {
    process.env.ALLOWED_ROLES = 'auditor';
    expect(() => callerOf(withClaims({ scope: 'carepath/facility.F1 carepath/role.nurse' }))).toThrow(/for auditor/);
    expect(() => callerOf(withClaims({ scope: 'carepath/facility.F1' }))).toThrow(/no Carepath role/);
    expect(() => callerOf(withClaims({ scope: 'carepath/facility.F1 carepath/facility.F2 carepath/role.auditor' }))).toThrow(
      /exactly one facility/,
    );
    delete process.env.ALLOWED_ROLES;
    expect(() => callerOf(withClaims({ scope: 'carepath/facility.F1 carepath/role.auditor' }))).toThrow(/no role/);
    expect(() => callerOf({})).toThrow(/exactly one facility/);
  });
});
