/**
 * Faults injected into every Lambda and DynamoDB state of every workflow, run by the local Step
 * Functions on the synthesized definitions. The Lambda and DynamoDB sides are stand-ins here, for
 * injection only: throttling and service errors must be retried to success; a crash that
 * persists must end the execution in that state (redrivable, and the failed-execution rule takes
 * it to an operator task) or in a named "Needs attention" state — never a silent stall.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { stoppedIn } from '../../shared/care/operations/stopped-in';
import { matchesFilterPattern } from '../../local/filter-pattern';
import { LOCAL_ACCOUNT, stateMachinesOf } from '../../local/stack';
import { LocalStepFunctions, type ExecutionStatusChange } from '../../local/stepfunctions/service';
import { LocalTemplate } from '../../local/template';

type Json = Record<string, any>;
const template = LocalTemplate.load('cdk.out', 'Carepath-dev', LOCAL_ACCOUNT);
const machines = stateMachinesOf(template);
const rule = template
  .ofType('AWS::Events::Rule')
  .map(([id]) => template.properties(id) as { EventPattern?: Json })
  .find((p) => p.EventPattern?.source?.[0] === 'aws.states')!.EventPattern!;

/** Every Task state, top level or in a Map's iteration, with the definition it sits in. */
function taskStates(definition: Json): Array<[string, Json]> {
  return Object.entries(definition.States as Json).flatMap(([name, state]: [string, Json]) => [
    ...(state.Type === 'Task' ? [[name, state] as [string, Json]] : []),
    ...(state.ItemProcessor ? taskStates(state.ItemProcessor) : []),
    ...(state.Iterator ? taskStates(state.Iterator) : []),
  ]);
}

/** The state alone: its Retry and Catch as designed; where a Catch leads, a Fail state keeps its error, anything else ends there. */
function isolate(name: string, state: Json, definition: Json): Json {
  const all = Object.fromEntries(allStates(definition));
  const targets = [...new Set(((state.Catch ?? []) as Json[]).map((c) => c.Next as string))];
  const { Next: _next, ...task } = state;
  return {
    StartAt: name,
    States: {
      [name]: { ...task, End: true },
      ...Object.fromEntries(targets.map((t) => [t, all[t]?.Type === 'Fail' ? all[t] : { Type: 'Succeed' }])),
    },
  };
}
function allStates(definition: Json): Array<[string, Json]> {
  return Object.entries(definition.States as Json).flatMap(([name, state]: [string, Json]) => [
    [name, state] as [string, Json],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
    ...(state.Iterator ? allStates(state.Iterator) : []),
  ]);
}

/** An input holding every path the state reads (the stand-ins ignore the values). */
function inputFor(state: Json): Json {
  const input: Json = {};
  // Paths alone ("$.a.b") and inside intrinsics (States.Format('…', $.a)); never the context ($$.).
  const paths = JSON.stringify(state).match(/(?<!\$)\$\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*/g) ?? [];
  for (const path of paths) {
    const keys = path.slice(2).split('.');
    let at = input;
    keys.forEach((key, i) => {
      at[key] = i === keys.length - 1 ? (at[key] ?? 3600) : typeof at[key] === 'object' ? at[key] : {};
      at = at[key];
    });
  }
  return input;
}

const named = (name: string) => Object.assign(new Error(`injected ${name}`), { name });

type Fault = { label: string; error: string; times: number; expect: 'retried' | 'stopped' };
const FAULTS: Fault[] = [
  { label: 'DynamoDB throttling inside the step', error: 'ProvisionedThroughputExceededException', times: 2, expect: 'retried' },
  { label: 'Lambda service error', error: 'Lambda.ServiceException', times: 2, expect: 'retried' },
  { label: 'Lambda throttled', error: 'Lambda.TooManyRequestsException', times: 2, expect: 'retried' },
  { label: 'a crash, once', error: 'Runtime.ExitError', times: 1, expect: 'retried' },
  { label: 'out of memory or time, once (Lambda.Unknown)', error: 'Lambda.Unknown', times: 1, expect: 'retried' },
  { label: 'a crash that persists', error: 'Runtime.ExitError', times: Infinity, expect: 'stopped' },
];
const DYNAMODB_FAULTS: Fault[] = [
  { label: 'DynamoDB throttling', error: 'ProvisionedThroughputExceededException', times: 2, expect: 'retried' },
  { label: 'DynamoDB internal error that persists', error: 'InternalServerError', times: Infinity, expect: 'stopped' },
];

const services: LocalStepFunctions[] = [];
afterAll(async () => {
  for (const service of services) await service.close();
});

async function run(machineName: string, stateName: string, state: Json, definition: Json, fault: Fault) {
  let calls = 0;
  const events: ExecutionStatusChange[] = [];
  const inject = () => {
    calls += 1;
    if (calls <= fault.times) throw named(fault.error);
  };
  let service!: LocalStepFunctions;
  service = new LocalStepFunctions({
    ...LOCAL_ACCOUNT,
    retryIntervalMs: 1,
    onStatusChange: (detail) => events.push(detail),
    invokeLambda: async (_arn, payload) => {
      inject();
      const token = (payload as Json).taskToken;
      // A person's step: the task opened; the person answers at once.
      if (typeof token === 'string') setTimeout(() => void service.sendTaskSuccess({ taskToken: token, output: '{}' }).catch(() => {}), 1);
      return {};
    },
    dynamodb: {
      send: async () => {
        inject();
        return {};
      },
    } as never,
  });
  services.push(service);
  const arn = `arn:aws:states:us-east-1:000000000000:stateMachine:fault-${services.length}`;
  service.registerStateMachine({
    name: `fault-${services.length}`,
    arn,
    definition: isolate(stateName, state, definition),
    roleArn: '',
    type: 'STANDARD',
  });
  const { executionArn } = await service.startExecution({ stateMachineArn: arn, name: 'faulty', input: JSON.stringify(inputFor(state)) });
  let described = await service.describeExecution({ executionArn });
  for (let waited = 0; described.status === 'RUNNING' && waited < 5_000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    described = await service.describeExecution({ executionArn });
  }
  const history = (await service.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 100 })).events ?? [];
  const entered = history.flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
  return {
    machineName,
    status: described.status,
    error: described.error,
    calls,
    entered,
    stop: stoppedIn(history as never),
    ended: events.at(-1),
  };
}

describe('faults in every workflow step', () => {
  const cases = machines.flatMap((machine) =>
    taskStates(machine.definition)
      // Lambda and DynamoDB states; starting the follow-up workflow is Step Functions' own call.
      .filter(([, state]) => /:lambda:|:dynamodb:/.test(String(state.Resource)))
      .flatMap(([name, state]) => {
        const faults = String(state.Resource).includes(':dynamodb:') ? DYNAMODB_FAULTS : FAULTS;
        return faults.map((fault) => ({ machine, name, state, fault }));
      }),
  );

  it('covers every Lambda and DynamoDB state of the four workflows', () => {
    expect(new Set(cases.map((c) => c.machine.name)).size).toBe(4);
    expect(new Set(cases.map((c) => `${c.machine.name}/${c.name}`)).size).toBeGreaterThan(40);
  });

  it.each(cases.map((c) => [`${c.machine.name.replace('carepath-dev-', '')}: "${c.name}" under ${c.fault.label}`, c] as const))(
    '%s',
    async (_label, c) => {
      const outcome = await run(c.machine.name, c.name, c.state, c.machine.definition, c.fault);
      // Never a silent stall: every run ends.
      expect(outcome.status).not.toBe('RUNNING');
      if (c.fault.expect === 'retried') {
        expect({ status: outcome.status, error: outcome.error }, 'retried until the step succeeded').toMatchObject({ status: 'SUCCEEDED' });
        expect(outcome.entered.at(0)).toBe(c.name);
        return;
      }
      // It stops where operators look: in the failed step itself (uncaught, redrivable; the rule opens
      // the operator task), or through a named "Needs attention" state that opened it.
      expect(outcome.status).toBe('FAILED');
      const envelope = {
        source: 'aws.states',
        'detail-type': 'Step Functions Execution Status Change',
        detail: { ...outcome.ended, stateMachineArn: c.machine.arn },
      };
      expect(matchesFilterPattern(rule, envelope), 'the failed-execution rule takes it').toBe(true);
      const stop = outcome.stop!;
      expect(stop.state === c.name || stop.state.startsWith('Needs attention: ')).toBe(true);
    },
  );
});
