import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';

/** Per-stage settings, checked with zod so a typo fails synth instead of a deployment. */
const stageSchema = z.object({
  stage: z.enum(['dev', 'prod']),
  /** Prefix for the few physical names operators read (state machines). */
  prefix: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
  retainData: z.boolean(),
  logRetentionDays: z.union([z.literal(30), z.literal(90), z.literal(365), z.literal(2557)]),
});
export type StageConfig = z.infer<typeof stageSchema>;

const STAGES: Record<string, unknown> = {
  dev: { stage: 'dev', prefix: 'carepath-dev', retainData: false, logRetentionDays: 30 },
  // HIPAA asks for six years of documentation; 2557 days is the nearest retention CloudWatch offers.
  prod: { stage: 'prod', prefix: 'carepath-prod', retainData: true, logRetentionDays: 2557 },
};

export function loadStageConfig(stage: string): StageConfig {
  const raw = STAGES[stage];
  if (!raw) throw new Error(`Unknown stage "${stage}"; expected one of ${Object.keys(STAGES).join(', ')}`);
  return stageSchema.parse(raw);
}

export const removalPolicy = (config: StageConfig) => (config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);

const RETENTION: Record<StageConfig['logRetentionDays'], RetentionDays> = {
  30: RetentionDays.ONE_MONTH,
  90: RetentionDays.THREE_MONTHS,
  365: RetentionDays.ONE_YEAR,
  2557: RetentionDays.SEVEN_YEARS,
};
export const logRetention = (config: StageConfig) => RETENTION[config.logRetentionDays];
