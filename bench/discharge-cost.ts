import { mkdirSync, writeFileSync } from 'node:fs';
import { LOCAL_ACCOUNT, stateMachinesOf } from '../local/stack';
import { LocalTemplate } from '../local/template';
import { STATES } from '../workflows/discharge-planning/definition';
import { DISCHARGE_PLANNING_PATHS } from '../workflows/discharge-planning/paths';
import { FOLLOW_UP_PATHS } from '../workflows/post-discharge-follow-up/paths';

/**
 * State transitions per discharge path and the modelled AWS cost per discharged patient. The
 * transitions are exact: the designed paths, which the workflow tests check state by state
 * against real executions; a discharge is its discharge-planning path plus the follow-up's. The
 * cost is a model (us-east-1 list prices, November 2026, assumptions below).
 *   tsx bench/discharge-cost.ts   (after npm run synth)
 */
const PRICES = {
  /** Step Functions Standard, per state transition. */
  transition: 0.025 / 1000,
  /** Lambda arm64: per request, and per GB-second. */
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  /** DynamoDB on demand: per write and per read request unit. */
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  /** HTTP API, per request. */
  apiRequest: 1.0 / 1e6,
  /** X-Ray, per trace recorded (every function traces actively). */
  xrayTrace: 5.0 / 1e6,
  /** EventBridge, per custom event published (care events). */
  event: 1.0 / 1e6,
};
/** Assumptions of the model, per Lambda step and per person's API call. */
const MODEL = {
  lambdaMemoryGb: 0.5,
  lambdaSeconds: 0.1,
  writeUnitsPerStep: 4,
  readUnitsPerStep: 4,
  apiCallsPerHumanStep: 3,
  /** Each write is a stream record: the audit line (and counters) it causes, and a consumer invocation of its own (batches of one: the dear case). */
  writeUnitsPerStreamRecord: 2,
  consumerInvocationsPerStreamRecord: 1,
  /** Care events a discharge publishes (risk tier, plan version, discharge date, transition record, …). */
  careEventsPerDischarge: 6,
};
const TARGETS = { transitions: 40, dollars: 0.005 };

const template = LocalTemplate.load('cdk.out', 'Carepath-dev', LOCAL_ACCOUNT);
const machines = stateMachinesOf(template);
const typesOf = (suffix: string) => {
  const definition = machines.find((m) => m.name.endsWith(suffix))!.definition as { States: Record<string, any> };
  const types = new Map<string, { lambda: boolean; human: boolean }>();
  const walk = (states: Record<string, any>) => {
    for (const [name, state] of Object.entries(states)) {
      const resource = String(state.Resource ?? '');
      types.set(name, { lambda: resource.includes(':lambda:'), human: resource.endsWith('.waitForTaskToken') });
      if (state.ItemProcessor) walk(state.ItemProcessor.States);
    }
  };
  walk(definition.States);
  return types;
};
const planning = typesOf('discharge-planning');
const followUp = typesOf('post-discharge-follow-up');

const invocation = PRICES.lambdaRequest + MODEL.lambdaMemoryGb * MODEL.lambdaSeconds * PRICES.lambdaGbSecond;

function cost(states: readonly string[], types: Map<string, { lambda: boolean; human: boolean }>) {
  const lambdas = states.filter((s) => types.get(s)?.lambda).length;
  const human = states.filter((s) => types.get(s)?.human).length;
  const apiCalls = human * MODEL.apiCallsPerHumanStep;
  const writes = (lambdas + apiCalls) * MODEL.writeUnitsPerStep;
  const consumerInvocations = writes * MODEL.consumerInvocationsPerStreamRecord;
  const dollars =
    states.length * PRICES.transition +
    (lambdas + apiCalls + consumerInvocations) * invocation +
    apiCalls * PRICES.apiRequest +
    writes * PRICES.writeUnit +
    lambdas * MODEL.readUnitsPerStep * PRICES.readUnit +
    writes * MODEL.writeUnitsPerStreamRecord * PRICES.writeUnit +
    (lambdas + apiCalls + consumerInvocations) * PRICES.xrayTrace;
  return { transitions: states.length, lambdaSteps: lambdas, humanSteps: human, dollars };
}

const tcm = cost(FOLLOW_UP_PATHS.everythingMissed.states, followUp);
const rows = Object.entries(DISCHARGE_PLANNING_PATHS).map(([path, { description, states }]) => {
  const plan = cost(states, planning);
  // Only a path that starts the follow-up runs it (not after a death, nor a cancelled discharge).
  const after = (states as readonly string[]).includes(STATES.startFollowUp) ? tcm : { transitions: 0, dollars: 0 };
  const transitions = plan.transitions + after.transitions;
  const dollars = plan.dollars + after.dollars + MODEL.careEventsPerDischarge * PRICES.event;
  return {
    path,
    description,
    planningTransitions: plan.transitions,
    followUpTransitions: after.transitions,
    transitions,
    dollars: Number(dollars.toFixed(5)),
    withinTargets: transitions <= TARGETS.transitions && dollars <= TARGETS.dollars,
  };
});
const result = {
  date: new Date().toISOString().slice(0, 10),
  prices: PRICES,
  model: MODEL,
  targets: TARGETS,
  followUpPath: 'everythingMissed (the longest)',
  rows,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/discharge-cost.json', `${JSON.stringify(result, null, 2)}\n`);
console.table(
  rows.map(({ path, planningTransitions, followUpTransitions, transitions, dollars, withinTargets }) => ({
    path,
    planningTransitions,
    followUpTransitions,
    transitions,
    dollars,
    withinTargets,
  })),
);
