import { Duration, Fn, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type Role } from '../../shared/domain/access';
import { removalPolicy, type StageConfig } from '../config/stage';

/** The OAuth scope that lets a client read and write one facility. */
export const facilityScopeName = (facilityId: string) => `facility.${facilityId}`;
/** The OAuth scope that gives a machine client one role (shared/domain/access.ts). */
export const roleScopeName = (role: Role) => `role.${role}`;
export const RESOURCE_SERVER = 'carepath';

/**
 * Who may call the API. Each hospital system is a Cognito app client (OAuth client credentials)
 * holding exactly one facility scope and its role scopes. People sign in through the care-team
 * app client (authorization code with PKCE); their facility and roles are Cognito groups
 * (`facility.<id>`, `<role>`), which the access token carries as `cognito:groups`. API Gateway's
 * JWT authorizer verifies the token, and each handler verifies it again (tokenSettings, below;
 * shared/http/token.ts), reads facility and roles from it and refuses roles its route does not
 * allow (shared/http/caller.ts).
 */
export class ApiClients extends Construct {
  readonly userPool: cognito.UserPool;
  private readonly clients: cognito.UserPoolClient[];

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const { config } = props;
    this.userPool = new cognito.UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      deletionProtection: config.retainData,
      removalPolicy: removalPolicy(config),
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // No SMS is configured: recovery by phone would leave staff with no way back in.
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Staff sign in with MFA required and no self sign-up; Plus-tier adaptive authentication is a per-hospital purchase decision, documented in docs/security.md.',
    });
    const facilityScopes = config.facilities.map(
      (facility) =>
        new cognito.ResourceServerScope({
          scopeName: facilityScopeName(facility),
          scopeDescription: `Read and write facility ${facility}`,
        }),
    );
    const roleScopes = new Map(
      ROLES.map((role) => [role, new cognito.ResourceServerScope({ scopeName: roleScopeName(role), scopeDescription: `Act as ${role}` })]),
    );
    const server = this.userPool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER,
      scopes: [...facilityScopes, ...roleScopes.values()],
    });
    // People's facility and roles: an administrator adds each staff member to one facility group and their role groups.
    for (const group of [...config.facilities.map(facilityScopeName), ...ROLES]) {
      new cognito.CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: this.userPool.userPoolId, groupName: group });
    }
    this.userPool.addDomain('TokenEndpoint', { cognitoDomain: { domainPrefix: config.authDomainPrefix } });
    this.clients = config.clients.map((client) =>
      this.userPool.addClient(client.name, {
        userPoolClientName: client.name,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { clientCredentials: true },
          scopes: [
            cognito.OAuthScope.resourceServer(server, facilityScopes[config.facilities.indexOf(client.facility)]!),
            ...client.roles.map((role) => cognito.OAuthScope.resourceServer(server, roleScopes.get(role)!)),
          ],
        },
        accessTokenValidity: Duration.hours(1),
      }),
    );
    this.clients.push(
      this.userPool.addClient('care-team-app', {
        userPoolClientName: 'care-team-app',
        generateSecret: false,
        authFlows: {},
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: [cognito.OAuthScope.OPENID],
          callbackUrls: config.careTeamAppCallbackUrls,
        },
        preventUserExistenceErrors: true,
        accessTokenValidity: Duration.hours(1),
        refreshTokenValidity: Duration.hours(12),
      }),
    );
  }

  /** What a handler needs to verify these clients' access tokens itself (shared/http/token.ts). */
  tokenSettings(): { TOKEN_ISSUER: string; TOKEN_CLIENT_IDS: string } {
    return {
      TOKEN_ISSUER: this.userPool.userPoolProviderUrl,
      TOKEN_CLIENT_IDS: Fn.join(
        ',',
        this.clients.map((client) => client.userPoolClientId),
      ),
    };
  }

  /** A JWT authorizer accepting these clients' tokens. Each routes stack gets its own: an
   * authorizer is a resource of the stack whose routes use it. */
  authorizer(id: string): HttpUserPoolAuthorizer {
    return new HttpUserPoolAuthorizer(id, this.userPool, { userPoolClients: this.clients });
  }
}
