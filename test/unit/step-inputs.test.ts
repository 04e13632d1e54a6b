import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStageConfig } from '../../infra/config/stage';
import { ServiceFunction } from '../../infra/constructs/service-function';
import { payloadProblems, STEP_INPUTS } from '../../shared/workflow/step-inputs';
import { awaitOnRecord, awaitPerson, step, stopWithOperatorTask } from '../../workflows/states';

// Each workflow step's input is declared once (issue 18 item 3): the handler parses with it and
// the definitions are checked against it at synth.
const root = path.resolve(__dirname, '../..');

describe('payloadProblems', () => {
  const shape = STEP_INPUTS['await-referral-answer'].shape;
  const complete = ['encounterId', 'executionArn', 'round', 'providerId', 'providerName', 'service', 'taskToken'];

  it('finds nothing wrong with a payload giving every required key (a JSONPath key counts as its name)', () => {
    expect(payloadProblems(shape, complete)).toEqual({ unknown: [], missing: [] });
    expect(
      payloadProblems(
        shape,
        complete.map((key) => `${key}.$`),
      ),
    ).toEqual({ unknown: [], missing: [] });
  });

  it('names a required key the payload leaves out', () => {
    expect(
      payloadProblems(
        shape,
        complete.filter((key) => key !== 'providerName' && key !== 'taskToken'),
      ),
    ).toEqual({ unknown: [], missing: ['providerName', 'taskToken'] });
  });

  it('names a key the step does not declare', () => {
    expect(payloadProblems(shape, [...complete, 'facilityId.$', 'priority'])).toEqual({ unknown: ['facilityId', 'priority'], missing: [] });
  });

  it('takes optional and defaulted keys as not required, and lets every step be given its execution and state', () => {
    const openCareTask = STEP_INPUTS['open-care-task'].shape;
    expect(payloadProblems(openCareTask, ['encounterId', 'executionArn', 'taskType', 'taskToken', 'dueInHours'])).toEqual({
      unknown: [],
      missing: [],
    });
    expect(payloadProblems(STEP_INPUTS['screen-patient'].shape, ['encounterId', 'executionArn.$', 'state'])).toEqual({
      unknown: [],
      missing: [],
    });
    // A step that needs the execution declares it, and then it is required.
    expect(payloadProblems(STEP_INPUTS['plan-follow-up'].shape, ['encounterId'])).toEqual({ unknown: [], missing: ['executionArn'] });
  });
});

describe('checked payloads at synth', () => {
  // A real ServiceFunction (templates only, nothing bundled) so the check finds its handler folder.
  const scope = () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'carepath-step-inputs-')), context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'StepInputs');
    const logKey = new kms.Key(stack, 'LogKey');
    const fn = (id: string, handlerDir: string) =>
      new ServiceFunction(stack, id, { config: loadStageConfig('dev'), logKey, handlerDir }).fn;
    return { stack, fn };
  };
  const encounterId = sfn.JsonPath.stringAt('$.encounterId');

  it('throws for a Lambda state leaving out a key its step requires, naming the state, the function and the key', () => {
    const { stack, fn } = scope();
    expect(() => step(stack, 'Tally the round', fn('TallyFn', 'tally-referrals'), { encounterId }, '$.placement', 'c')).toThrow(
      /State "Tally the round" invokes tally-referrals \(StepInputs\/TallyFn\/Fn\) with a payload that leaves out required keys: round/,
    );
  });

  it('throws for a key the step does not declare', () => {
    const { stack, fn } = scope();
    const transfer = fn('AwaitTransfer', 'await-transfer');
    expect(() =>
      awaitOnRecord(stack, 'Await arrival', transfer, {
        payload: { encounterId, transferId: sfn.JsonPath.stringAt('$.transferId'), grievanceId: sfn.JsonPath.stringAt('$.grievanceId') },
        awaiting: 'arrival',
        timeout: sfn.Timeout.duration(Duration.days(1)),
        resultPath: '$.arrival',
        comment: 'c',
      }),
    ).toThrow(/State "Await arrival" invokes await-transfer .* gives keys its input does not declare: grievanceId/);
  });

  it('throws for a function a state invokes whose folder declares no step input', () => {
    const { stack, fn } = scope();
    expect(() => step(stack, 'Admit', fn('Admit', 'admit-patient'), { encounterId }, '$.x', 'c')).toThrow(
      /declares no input in STEP_INPUTS/,
    );
  });

  it("accepts the helpers' payloads when they match: a step, a person's step and an operator stop", () => {
    const { stack, fn } = scope();
    expect(() => step(stack, 'Screen', fn('ScreenFn', 'screen-patient'), { encounterId }, '$.screening', 'c')).not.toThrow();
    const openCareTask = fn('OpenCareTask', 'open-care-task');
    expect(() =>
      awaitPerson(stack, 'Await assessment', openCareTask, {
        taskType: 'needs-assessment',
        priority: 'routine',
        dueInHours: 24,
        timeout: Duration.days(1),
        resultPath: '$.a',
        comment: 'c',
        round: '$.r',
        details: '$.d',
      }),
    ).not.toThrow();
    expect(() =>
      stopWithOperatorTask(stack, fn('Operator', 'open-operator-task'), {
        name: 'Needs attention: x',
        stopped: 'Stopped: x',
        error: 'X',
        cause: 'why',
      }),
    ).not.toThrow();
    // The person's step against a step that does not take a task token.
    expect(() =>
      awaitPerson(stack, 'Await wrong', fn('Wrong', 'tally-referrals'), {
        taskType: 'needs-assessment',
        priority: 'routine',
        dueInHours: 24,
        timeout: Duration.days(1),
        resultPath: '$.a',
        comment: 'c',
      }),
    ).toThrow(/gives keys its input does not declare: taskType, taskToken, priority, dueInHours; and leaves out required keys: round/);
  });
});

describe('STEP_INPUTS', () => {
  const handlers = readdirSync(path.join(root, 'functions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ dir: entry.name, file: path.join(root, 'functions', entry.name, 'handler.ts') }))
    .flatMap(({ dir, file }) => {
      try {
        return [{ dir, text: readFileSync(file, 'utf8') }];
      } catch {
        return [];
      }
    });
  const steps = handlers.filter(({ text }) => /\bworkflowStep\(/.test(text));

  it('has an entry for every handler that is a workflow step, and none for any other folder', () => {
    expect(steps.length).toBeGreaterThan(20);
    expect(Object.keys(STEP_INPUTS).sort()).toEqual(steps.map(({ dir }) => dir).sort());
  });

  it('is what each step handler parses with: its own entry, no schema of its own', () => {
    for (const { dir, text } of steps) {
      expect(text, dir).toContain(`STEP_INPUTS['${dir}']`);
      expect(text.match(/STEP_INPUTS\['([^']+)'\]/g), dir).toEqual([`STEP_INPUTS['${dir}']`]);
      expect(text, dir).not.toMatch(/workflowStep\((?!input\b|STEP_INPUTS\[)/);
    }
  });
});
