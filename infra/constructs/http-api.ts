import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { logRetention, type StageConfig } from '../config/stage';

export interface HttpRoute {
  method: apigw.HttpMethod;
  path: string;
  fn: IFunction;
}

/**
 * API Gateway HTTP API (payload format 2.0). Routes are declared here and nowhere else: the
 * local HTTP server reads them back from the synthesized template.
 */
export class CarepathHttpApi extends Construct {
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: { config: StageConfig; routes: HttpRoute[]; logKey: IKey; authorizer: apigw.IHttpRouteAuthorizer }) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Carepath care-management API',
      createDefaultStage: false,
      // Every route needs a bearer token of a registered hospital system (see ApiClients).
      defaultAuthorizer: props.authorizer,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logRetention(props.config),
      encryptionKey: props.logKey,
    });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      stageName: '$default',
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // Request metadata only: paths may carry ids, never bodies.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    for (const route of props.routes) {
      const name = `${route.method}${route.path}`.replace(/[^A-Za-z0-9]/g, '');
      this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: new HttpLambdaIntegration(`${name}Integration`, route.fn),
      });
    }
  }
}
