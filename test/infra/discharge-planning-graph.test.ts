import { App, Stack } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { buildDischargePlanningDefinition, type DischargePlanningSteps } from '../../workflows/discharge-planning/definition';

type AslState = {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  ItemProcessor?: { StartAt: string; States: Record<string, AslState> };
};

/**
 * Who goes where: each state's type and every transition out of it (Next, each Choice's target
 * in order, Default, each Catch with its errors), the Map's own states inside it. Payloads and
 * Retry are other tests' business; this is the shape the definition's code must keep.
 */
function graphOf(states: Record<string, AslState>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(states)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, s]) => [
        name,
        {
          type: s.Type,
          ...(s.Next ? { next: s.Next } : {}),
          ...(s.End ? { end: true } : {}),
          ...(s.Choices ? { choices: s.Choices.map((c) => c.Next) } : {}),
          ...(s.Default ? { default: s.Default } : {}),
          ...(s.Catch ? { catch: s.Catch.map((c) => ({ errors: c.ErrorEquals, next: c.Next })) } : {}),
          ...(s.ItemProcessor ? { startAt: s.ItemProcessor.StartAt, states: graphOf(s.ItemProcessor.States) } : {}),
        },
      ]),
  );
}

describe('Discharge Planning state graph', () => {
  it('keeps its states and transitions (a change to the graph is a visible diff of the snapshot: `npx vitest run -u` after review)', async () => {
    const stack = new Stack(new App(), 'Graph', { env: { account: '000000000000', region: 'us-east-1' } });
    const fn = (name: string) => LambdaFunction.fromFunctionName(stack, name, name);
    const steps: DischargePlanningSteps = {
      screenPatient: fn('screen'),
      openCareTask: fn('open-care-task'),
      buildDischargePlan: fn('build-plan'),
      offerChoiceList: fn('offer-choice'),
      pickReferralProviders: fn('pick-providers'),
      awaitReferralAnswer: fn('await-referral'),
      tallyReferrals: fn('tally'),
      openOperatorTask: fn('open-operator-task'),
      checkDischargeReadiness: fn('check-readiness'),
      recordDischarge: fn('record-discharge'),
      sendTransitionRecord: fn('send-transition'),
    };
    const definition = buildDischargePlanningDefinition(
      stack,
      Table.fromTableName(stack, 'Table', 'care'),
      steps,
      sfn.StateMachine.fromStateMachineName(stack, 'FollowUp', 'follow-up'),
    );
    const asl = stack.resolve(new sfn.StateGraph(definition.startState, 'Discharge planning').toGraphJson()) as {
      StartAt: string;
      States: Record<string, AslState>;
    };
    await expect(`${JSON.stringify({ startAt: asl.StartAt, states: graphOf(asl.States) }, null, 2)}\n`).toMatchFileSnapshot(
      '__snapshots__/discharge-planning-graph.json',
    );
  });
});
