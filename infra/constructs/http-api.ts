import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { API_ROUTES } from '../routes/all';
import { logRetention, removalPolicy, type StageConfig } from '../config/stage';

/**
 * API Gateway HTTP API (payload format 2.0) and its stage. Routes are attached by the routes
 * stacks (infra/routes/<area>.ts); the local HTTP server reads them back from the templates.
 */
export class CarepathHttpApi extends Construct {
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: { config: StageConfig; logKey: IKey }) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Carepath care-management API',
      createDefaultStage: false,
      // The care-team app is a browser app on its own origin. API Gateway answers the preflight
      // itself (before the JWT authorizer); the local stack should answer it from this template.
      corsPreflight: {
        allowOrigins: props.config.careTeamAppOrigins,
        allowHeaders: ['authorization', 'content-type', 'if-match'],
        // Optimistic locking: the app sends back the ETag it read as If-Match.
        exposeHeaders: ['etag'],
        allowMethods: [...new Set(API_ROUTES.map((route) => route.method))].map(
          (method) => apigw.CorsHttpMethod[method as keyof typeof apigw.CorsHttpMethod],
        ),
        // Bearer tokens, not cookies.
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logRetention(props.config),
      encryptionKey: props.logKey,
      removalPolicy: removalPolicy(props.config),
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
  }
}
