import * as z from 'zod';

/**
 * Environment parsed once, lazily: a missing variable fails the first invocation with a clear
 * message instead of a confusing error deep inside a request. Lazy, because locally several
 * functions share a process and each gets its own environment only when it starts.
 */
/** Carepath's state machines, by their physical-name suffix (`<prefix>-<workflow>`). */
export const WORKFLOW_NAMES = ['discharge-planning', 'post-discharge-follow-up', 'transfer', 'grievance'] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];

/** The one place the variable holding each state machine's ARN is named: the stacks set it, handlers read it (stateMachineArn). */
export const STATE_MACHINE_ARN_VARIABLE = {
  'discharge-planning': 'DISCHARGE_PLANNING_STATE_MACHINE_ARN',
  'post-discharge-follow-up': 'FOLLOW_UP_STATE_MACHINE_ARN',
  transfer: 'TRANSFER_STATE_MACHINE_ARN',
  grievance: 'GRIEVANCE_STATE_MACHINE_ARN',
} as const satisfies Record<WorkflowName, string>;

const envSchema = z.object({
  TABLE_NAME: z.string().min(1),
  ...(Object.fromEntries(Object.values(STATE_MACHINE_ARN_VARIABLE).map((name) => [name, z.string().min(1).optional()])) as Record<
    (typeof STATE_MACHINE_ARN_VARIABLE)[WorkflowName],
    z.ZodOptional<z.ZodString>
  >),
  CARE_EVENT_BUS_NAME: z.string().min(1).optional(),
  // Care managers, time zones and holidays grow with the hospital: shared/site-config.ts, not here.
  /** Days to acknowledge and to resolve a grievance in writing (JSON, from the stage config). */
  GRIEVANCE_POLICY: z
    .string()
    .default('{"acknowledgeWithinDays":7,"resolveWithinDays":30}')
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(z.object({ acknowledgeWithinDays: z.number().int().positive(), resolveWithinDays: z.number().int().positive() })),
});
export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
      throw new Error(`Invalid environment: ${fields}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function requireEnv<K extends keyof Env>(key: K): NonNullable<Env[K]> {
  const value = env()[key];
  if (value === undefined || value === null) throw new Error(`Missing environment variable ${String(key)}`);
  return value as NonNullable<Env[K]>;
}

/** The ARN of a state machine this function was given (infra sets STATE_MACHINE_ARN_VARIABLE[workflow]). */
export const stateMachineArn = (workflow: WorkflowName): string => requireEnv(STATE_MACHINE_ARN_VARIABLE[workflow]);
