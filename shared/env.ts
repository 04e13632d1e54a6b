import * as z from 'zod';

/**
 * Environment parsed once, lazily: a missing variable fails the first invocation with a clear
 * message instead of a confusing error deep inside a request. Lazy, because locally several
 * functions share a process and each gets its own environment only when it starts.
 */
const envSchema = z.object({
  TABLE_NAME: z.string().min(1),
  DISCHARGE_PLANNING_STATE_MACHINE_ARN: z.string().min(1).optional(),
  FOLLOW_UP_STATE_MACHINE_ARN: z.string().min(1).optional(),
  TRANSFER_STATE_MACHINE_ARN: z.string().min(1).optional(),
  CARE_EVENT_BUS_NAME: z.string().min(1).optional(),
  GRIEVANCE_STATE_MACHINE_ARN: z.string().min(1).optional(),
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
