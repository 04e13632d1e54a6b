import * as z from 'zod';
import { TASK_TYPES } from '../domain/tasks';
import { taskCompletionOutput } from '../schemas/task-data';
import { grievanceStepInput } from './grievance-input';

/**
 * Each workflow step's input, keyed by its folder under functions/ (issue 18 item 3). The handler
 * parses its event with this schema, and the state machine definitions are checked against it at
 * synth (`checkedPayload` in workflows/states.ts): a payload giving a key the step does not read,
 * or leaving out one it requires, fails the synth instead of the execution. No AWS imports: infra
 * and the Lambda bundles both read it.
 */
const encounterId = z.string().min(1);
const executionArn = z.string().min(1);
const transferStepInput = z.object({ encounterId, transferId: z.string().min(1) });
const followUpCheckpointInput = z.object({ encounterId, executionArn, checkpoint: z.enum(['contact', 'visit']) });

export const STEP_INPUTS = {
  'ask-receiving-facility': transferStepInput,
  'await-grievance': grievanceStepInput.extend({ awaiting: z.enum(['acknowledgement', 'decision']), taskToken: z.string().min(1) }),
  'await-referral-answer': z.object({
    encounterId,
    executionArn,
    round: z.number().int().positive(),
    providerId: z.string().min(1),
    providerName: z.string().min(1),
    service: z.string().min(1),
    taskToken: z.string().min(1),
  }),
  'await-transfer': transferStepInput.extend({
    awaiting: z.enum(['answer', 'transport', 'arrival']),
    taskToken: z.string().min(1),
  }),
  'build-discharge-plan': z.object({ encounterId, assessment: taskCompletionOutput }),
  'check-discharge-readiness': z.object({ encounterId, order: taskCompletionOutput.optional() }),
  'check-follow-up': followUpCheckpointInput,
  'close-follow-up': z.object({ encounterId, executionArn }),
  'close-grievance': grievanceStepInput,
  'close-transfer': transferStepInput,
  'compensate-transfer': transferStepInput,
  'escalate-grievance': grievanceStepInput.extend({ deadline: z.enum(['acknowledgement', 'resolution']) }),
  'escalate-missed-follow-up': followUpCheckpointInput,
  'offer-choice-list': z.object({ encounterId }),
  'open-care-task': z.object({
    encounterId,
    executionArn,
    taskType: z.enum(TASK_TYPES),
    taskToken: z.string().min(1),
    priority: z.enum(['urgent', 'routine']).default('routine'),
    dueInHours: z
      .number()
      .positive()
      .max(24 * 30),
    /** A step that can be awaited more than once per execution names each round (e.g. the check's time). */
    round: z.string().max(64).optional(),
    details: z.array(z.string().max(200)).max(20).optional(),
  }),
  'open-grievance': grievanceStepInput,
  'open-operator-task': z.object({
    encounterId,
    executionArn,
    state: z.string().min(1),
    reason: z.string().min(1).max(200),
    /** The caught error, when a deadline passed (its name only: a Cause can quote execution data). */
    error: z
      .object({ Error: z.string().max(200).optional() })
      .passthrough()
      .optional(),
  }),
  'pick-referral-providers': z.object({ encounterId, executionArn }),
  'plan-follow-up': z.object({ encounterId, executionArn }),
  'record-discharge': z.object({ encounterId, order: taskCompletionOutput }),
  'record-no-answer': transferStepInput,
  'refer-grievance-to-qio': grievanceStepInput,
  'screen-patient': z.object({ encounterId }),
  'send-satisfaction-survey': z.object({ encounterId, executionArn }),
  'send-transfer-records': transferStepInput,
  'send-transition-record': z.object({ encounterId }),
  'tally-referrals': z.object({ encounterId, round: z.number().int().positive() }),
} satisfies Record<string, z.ZodObject>;

export type StepName = keyof typeof STEP_INPUTS;

/**
 * Keys every Lambda state may give although a step's schema need not declare them: workflowStep
 * reads `executionArn` and `state` from every event (its `stepContext`) to name the step's writes
 * and its audit line. A schema that needs them itself declares them (and then they are required).
 */
export const STEP_CONTEXT_KEYS: readonly string[] = ['executionArn', 'state'];

/**
 * What is wrong with a payload for a step whose input has this shape: keys the schema does not
 * know (`x.$`, a JSONPath, counts as `x`), and keys it requires that the payload does not give.
 * A key is required when its schema refuses `undefined` (`.optional()` and `.default()` accept it).
 */
export function payloadProblems(
  shape: Record<string, z.ZodType>,
  payloadKeys: readonly string[],
): { unknown: string[]; missing: string[] } {
  const given = new Set(payloadKeys.map((key) => key.replace(/\.\$$/, '')));
  const unknown = [...given].filter((key) => !(key in shape) && !STEP_CONTEXT_KEYS.includes(key));
  const missing = Object.entries(shape)
    .filter(([key, schema]) => !given.has(key) && !schema.safeParse(undefined).success)
    .map(([key]) => key);
  return { unknown, missing };
}
