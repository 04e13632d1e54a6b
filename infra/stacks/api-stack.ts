import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stage';
import { ApiClients } from '../constructs/api-clients';
import { CarepathHttpApi } from '../constructs/http-api';
import type { CarepathStack } from './carepath-stack';

export interface CarepathApiStackProps extends StackProps {
  config: StageConfig;
  core: CarepathStack;
}

/**
 * The HTTP API itself and the Cognito app clients allowed to call it. Its routes and their
 * functions live in the routes stacks, one per area (infra/routes/).
 */
export class CarepathApiStack extends Stack {
  readonly http: CarepathHttpApi;
  readonly clients: ApiClients;

  constructor(scope: Construct, id: string, props: CarepathApiStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.clients = new ApiClients(this, 'ApiClients', { config });
    this.http = new CarepathHttpApi(this, 'Http', { config, logKey: props.core.logKey });

    new CfnOutput(this, 'ApiUrl', { value: this.http.api.apiEndpoint });
    new CfnOutput(this, 'TokenUrl', {
      value: `https://${config.authDomainPrefix}.auth.${this.region}.amazoncognito.com/oauth2/token`,
    });
    new CfnOutput(this, 'ApiClientsUserPoolId', { value: this.clients.userPool.userPoolId });
  }
}
