import { Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { physicalName, type StageConfig } from '../config/stage';
import { CARE_TABLE_INDEXES } from '../constructs/care-table';
import { ServiceFunction } from '../constructs/service-function';
import { acknowledgeStackFindings } from '../nag-acknowledgements';
import type { ApiRoute, WorkflowName } from '../routes/route';
import type { CarepathApiStack } from './api-stack';
import type { CarepathStack } from './carepath-stack';
import { rolesOf } from '../../shared/domain/access';
import { STATE_MACHINE_ARN_VARIABLE } from '../../shared/env';

export interface CarepathRoutesStackProps extends StackProps {
  config: StageConfig;
  core: CarepathStack;
  api: CarepathApiStack;
  /** The area's name (care-record, discharge, ...), unique among the routes stacks. */
  area: string;
  routes: ApiRoute[];
}

const pascalCase = (handler: string) => handler.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/**
 * One area of the HTTP API (infra/routes/<area>.ts): a function per route, with exactly the access
 * its route table grants, attached to the API stack's HttpApi. The API is split by area because a
 * route costs seven CloudFormation resources and a stack may hold 500.
 */
export class CarepathRoutesStack extends Stack {
  constructor(scope: Construct, id: string, props: CarepathRoutesStackProps) {
    super(scope, id, props);
    const { config, routes } = props;
    const { logKey } = props.core;
    // By name, not by reference: the core stack can change without export locks. The key is
    // referenced: grants must name it for the functions to decrypt the table. The indexes are
    // listed so grants cover table/<name>/index/* (without them every query on an index is denied).
    const table = Table.fromTableAttributes(this, 'CareTable', {
      tableName: physicalName(config, 'care-record'),
      encryptionKey: props.core.tableKey,
      globalIndexes: CARE_TABLE_INDEXES.map((index) => index.indexName),
    });
    const machines = new Map<WorkflowName, ReturnType<typeof StateMachine.fromStateMachineName>>();
    const machine = (workflow: WorkflowName) =>
      machines.get(workflow) ??
      machines.set(workflow, StateMachine.fromStateMachineName(this, pascalCase(workflow), physicalName(config, workflow))).get(workflow)!;
    this.addStackDependency(props.core);
    this.addStackDependency(props.api);
    // Imported into this stack so each route's integration and permission are created here.
    const httpApi = HttpApi.fromHttpApiAttributes(this, 'Api', { httpApiId: props.api.http.api.apiId });
    // Logical ids are unique across the app's stacks (the local stack reads them as one).
    const authorizer = props.api.clients.authorizer(`${pascalCase(props.area)}Clients`);
    const tokenSettings = props.api.clients.tokenSettings();
    const executionUsers: Array<{ user: Construct; stateMachine: string }> = [];

    // One function per handler and set of grants: routes sharing a handler (get-stay-part) share
    // its function when they grant the same, and each other set of grants gets its own.
    const functions = new Map<string, ServiceFunction['fn']>();
    const grants = (r: ApiRoute) =>
      JSON.stringify([r.access, r.data, r.readsExecutionsOf, r.asksStatusOfExecutionsOf, r.environment?.(config), r.siteConfig?.(config)]);
    const firstRouteOf = (route: ApiRoute) => routes.find((other) => other.handler === route.handler && grants(other) === grants(route))!;
    const isFirstVariant = (route: ApiRoute) => routes.find((other) => other.handler === route.handler) === firstRouteOf(route);
    const lastSegment = (route: ApiRoute) => pascalCase(route.path.split('/').at(-1)!);
    const functionFor = (route: ApiRoute): ServiceFunction['fn'] => {
      const variant = `${route.handler} ${grants(route)}`;
      const built = functions.get(variant);
      if (built) return built;
      // The handler's first set of grants keeps the plain id; another is named after its first route.
      const functionId = pascalCase(route.handler) + (isFirstVariant(route) ? '' : lastSegment(firstRouteOf(route)));
      const readable = route.readsExecutionsOf ?? [];
      const fn = new ServiceFunction(this, functionId, {
        config,
        logKey,
        handlerDir: route.handler,
        siteConfig: route.siteConfig?.(config),
        environment: {
          TABLE_NAME: table.tableName,
          // The roles the handler lets through (shared/http/caller.ts); no variable, no entry.
          ALLOWED_ROLES: rolesOf(route.access).join(','),
          // The handler verifies the token again, against the same pool and clients as the authorizer.
          ...tokenSettings,
          ...Object.fromEntries(readable.map((workflow) => [STATE_MACHINE_ARN_VARIABLE[workflow], machine(workflow).stateMachineArn])),
          ...route.environment?.(config),
        },
      }).fn;
      if (route.data === 'write') table.grantReadWriteData(fn);
      if (route.data === 'read') table.grantReadData(fn);
      for (const workflow of readable) {
        machine(workflow).grantRead(fn);
        executionUsers.push({ user: fn, stateMachine: physicalName(config, workflow) });
      }
      for (const workflow of route.asksStatusOfExecutionsOf ?? []) {
        machine(workflow).grantExecution(fn, 'states:DescribeExecution');
        executionUsers.push({ user: fn, stateMachine: physicalName(config, workflow) });
      }
      functions.set(variant, fn);
      return fn;
    };

    for (const route of routes) {
      // A handler's only route keeps the id it always had; routes sharing a handler add their last segment.
      const shared = routes.filter((other) => other.handler === route.handler).length > 1;
      const routeId = pascalCase(route.handler) + (shared ? lastSegment(route) : '');
      new HttpRoute(this, `${routeId}Route`, {
        httpApi,
        routeKey: HttpRouteKey.with(route.routeKeyPath ?? route.path, route.method),
        integration: new HttpLambdaIntegration(`${routeId}Integration`, functionFor(route)),
        authorizer,
      });
    }

    acknowledgeStackFindings(this, { table, workflowFunctions: [], executionUsers });
  }
}
