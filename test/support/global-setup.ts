import type { TestProject } from 'vitest/node';
import { mintLocalToken } from '../../local/auth';
import { startLocalStack } from '../../local/stack';
import { LocalTemplate } from '../../local/template';
import { LOCAL_ACCOUNT } from '../../local/stack';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: {
      httpUrl: string;
      stepFunctionsUrl: string;
      dynamodbUrl: string;
      region: string;
      tableName: string;
      dischargePlanningArn: string;
      /** Bearer tokens of a client of facility F1 and one of F2. */
      tokens: { F1: string; F2: string };
    };
  }
}

/**
 * Starts the real local stack once for the "stack" test project: DynamoDB Local, the
 * synthesized state machines, the bundled handlers, the stream triggers and the HTTP API,
 * on free ports so a developer's `npm start` can keep running beside the tests.
 * `npm test` synthesizes first; the tests run what cdk.out holds.
 */
export default async function setup(project: TestProject) {
  // CAREPATH_CDK_OUT: run the suite against another synth (an engineer's own, beside a running one).
  const cdkOut = process.env.CAREPATH_CDK_OUT ?? 'cdk.out';
  const stack = await startLocalStack({
    cdkOut,
    ports: { http: 0, stepFunctions: 0, dynamodb: 0 },
    // Everything the functions log is kept (the PHI test searches it at the most talkative level
    // used in production) but not printed.
    functionLogLevel: 'INFO',
    echoFunctionLogs: false,
    // Routine execution lifecycle lines would drown the test report; problems still show.
    log: (line) => {
      if (!/execution (started|SUCCEEDED|ABORTED)/.test(line)) process.stderr.write(`[local] ${line}\n`);
    },
  });
  const template = LocalTemplate.load(cdkOut, 'Carepath-dev', LOCAL_ACCOUNT);
  const [tableId] = template.ofType('AWS::DynamoDB::Table')[0]!;
  const machine = stack.stateMachines.find((m) => m.name.endsWith('discharge-planning'));
  if (!machine) throw new Error('The template has no discharge-planning state machine');
  project.provide('stack', {
    httpUrl: stack.httpUrl,
    stepFunctionsUrl: stack.stepFunctionsUrl,
    dynamodbUrl: stack.dynamodbUrl,
    region: stack.region,
    tableName: template.physicalName(tableId),
    dischargePlanningArn: machine.arn,
    tokens: {
      F1: await mintLocalToken({ facilityId: 'F1', clientId: 'test-ehr-f1' }),
      F2: await mintLocalToken({ facilityId: 'F2', clientId: 'test-ehr-f2' }),
    },
  });
  return async () => {
    await stack.stop();
    // The suite runs under the template's IAM: a call it refused is a grant missing on AWS too,
    // even where the test around it passed (a refused stream read only delays, say).
    const denials = [...new Set(stack.iam.denials.map((d) => `${d.role} may not ${d.action} on ${d.resource}`))];
    if (denials.length)
      throw new Error(`IAM refused ${denials.length} kind(s) of call during the suite (add the grant in infra/):\n${denials.join('\n')}`);
  };
}
