import { Duration, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { removalPolicy, type StageConfig } from '../config/stage';

/** The OAuth scope that lets a client read and write one facility. */
export const facilityScopeName = (facilityId: string) => `facility.${facilityId}`;
export const RESOURCE_SERVER = 'carepath';

/**
 * Who may call the API: each hospital system is a Cognito app client (OAuth client credentials)
 * holding exactly one facility scope. API Gateway's JWT authorizer checks the token; handlers
 * read the facility from its scope (shared/http/caller.ts). There are no human users in the pool.
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
      // No person signs in here; should one ever be added, these hold.
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'The pool holds only machine clients (OAuth client credentials); Plus-tier threat protection guards user sign-ins, of which there are none.',
    });
    const scopes = config.facilities.map(
      (facility) => new cognito.ResourceServerScope({ scopeName: facilityScopeName(facility), scopeDescription: `Read and write facility ${facility}` }),
    );
    const server = this.userPool.addResourceServer('Api', { identifier: RESOURCE_SERVER, scopes });
    this.userPool.addDomain('TokenEndpoint', { cognitoDomain: { domainPrefix: config.authDomainPrefix } });
    this.clients = config.clients.map((client) =>
      this.userPool.addClient(client.name, {
        userPoolClientName: client.name,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { clientCredentials: true },
          scopes: [cognito.OAuthScope.resourceServer(server, scopes[config.facilities.indexOf(client.facility)]!)],
        },
        accessTokenValidity: Duration.hours(1),
      }),
    );
  }

  /** A JWT authorizer accepting these clients' tokens. Each routes stack gets its own: an
   * authorizer is a resource of the stack whose routes use it. */
  authorizer(id: string): HttpUserPoolAuthorizer {
    return new HttpUserPoolAuthorizer(id, this.userPool, { userPoolClients: this.clients });
  }
}
