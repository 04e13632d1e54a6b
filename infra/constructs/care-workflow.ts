import type { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowName } from '../../shared/env';
import type { SiteConfig } from '../../shared/site-config';
import type { StageConfig } from '../config/stage';
import { ServiceFunction } from './service-function';
import { allowAnsweringOwnTasks, workflowStateMachine } from './workflow-state-machine';

/** A Lambda step a workflow owns: its construct id, its folder under functions/, the site configuration it reads. */
export interface WorkflowStep {
  id: string;
  handler: string;
  siteConfig?: (config: StageConfig) => Partial<SiteConfig>;
}

/**
 * One of Carepath's state machines as data (infra/constructs/care-workflows.ts): the steps it
 * owns, which of them answer its own tasks, and its graph (workflows/<name>/definition.ts).
 * `Steps` is every function the graph calls, its own and those shared with other workflows.
 */
export interface WorkflowSpec<Own extends string, Steps extends Record<Own, IFunction>, Context> {
  workflow: WorkflowName;
  comment: string;
  timeout: Duration;
  steps: Record<Own, WorkflowStep>;
  /** Steps behind a retried "Await" state, which hand what already happened to their new token. */
  answersOwnTasks?: Own[];
  definition: (scope: Construct, steps: Steps, context: { table: Table } & Context) => sfn.IChainable;
}

/**
 * A state machine and the Lambda steps behind its states: each step gets read-write use of the
 * care table (steps read and write the stay), the machine what workflowStateMachine gives every one.
 */
export class CareWorkflow<Own extends string, Steps extends Record<Own, IFunction>, Context> extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly steps: Steps;

  constructor(
    scope: Construct,
    id: string,
    props: {
      config: StageConfig;
      table: Table;
      logKey: IKey;
      spec: WorkflowSpec<Own, Steps, Context>;
      shared: Omit<Steps, Own>;
      context: Context;
    },
  ) {
    super(scope, id);
    const { config, table, logKey, spec } = props;
    const own = Object.fromEntries(
      (Object.entries(spec.steps) as Array<[Own, WorkflowStep]>).map(([name, step]) => {
        const fn = new ServiceFunction(this, step.id, {
          config,
          logKey,
          handlerDir: step.handler,
          siteConfig: step.siteConfig?.(config),
          environment: { TABLE_NAME: table.tableName },
        }).fn;
        table.grantReadWriteData(fn);
        return [name, fn];
      }),
    ) as unknown as Record<Own, IFunction>;
    this.steps = { ...props.shared, ...own } as unknown as Steps;
    if (spec.answersOwnTasks?.length)
      allowAnsweringOwnTasks(
        this,
        config,
        spec.workflow,
        spec.answersOwnTasks.map((name) => own[name]),
      );
    this.stateMachine = workflowStateMachine(this, {
      config,
      logKey,
      table,
      workflow: spec.workflow,
      comment: spec.comment,
      definition: spec.definition(this, this.steps, { table, ...props.context }),
      timeout: spec.timeout,
    });
  }
}
