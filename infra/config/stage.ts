import { RemovalPolicy } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { ROLES } from '../../shared/domain/access';

const isOwnHttps = (url: string) => url.startsWith('https://') && !/^https:\/\/(localhost|127\.)/.test(url);

/** Per-stage settings, checked with zod so a typo fails synth instead of a deployment. */
const stageSchema = z
  .object({
    stage: z.enum(['dev', 'prod']),
    /** Prefix for the few physical names operators read (state machines). */
    prefix: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
    retainData: z.boolean(),
    logRetentionDays: z.union([z.literal(30), z.literal(90), z.literal(365), z.literal(2557)]),
    /** Facilities served; each becomes an OAuth scope `carepath/facility.<id>`. */
    facilities: z.array(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/)).min(1),
    /** Machine clients (OAuth client credentials): one facility each, and their roles (default: integration client). */
    clients: z
      .array(
        z.object({
          name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
          facility: z.string(),
          roles: z.array(z.enum(ROLES)).min(1).default(['integration-client']),
        }),
      )
      .min(1),
    /** Where the care-team app (people signing in: authorization code with PKCE) may be redirected after sign-in. */
    careTeamAppCallbackUrls: z.array(z.url()).default(['http://localhost:5173/callback']),
    /**
     * The origins the care-team app runs on (scheme://host[:port]): the HTTP API answers their CORS
     * preflights. @default the origins of careTeamAppCallbackUrls
     */
    careTeamAppOrigins: z
      .array(z.url().refine((url) => new URL(url).origin === url.replace(/\/$/, ''), 'an origin: scheme://host[:port], no path'))
      .optional(),
    /** Cognito hosted domain prefix for the token endpoint; unique per region. */
    authDomainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    /** Per facility, days that are not business days beside US federal holidays (TCM's 2-business-day contact). */
    facilityHolidays: z.record(z.string(), z.array(z.iso.date())).default({}),
    /** Per facility, its IANA time zone (required for each): every clinical day is the facility's local day (TCM deadlines, lengths of stay, metrics days, "before noon"), and HL7 times without an offset are its local time. */
    facilityTimeZones: z
      .record(
        z.string(),
        z.string().refine((zone) => {
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: zone });
            return true;
          } catch {
            return false;
          }
        }, 'not an IANA time zone'),
      )
      .default({}),
    /**
     * Per facility (the one the token carries), the MSH-4 sending facilities its ADT feed accepts;
     * MSH-6, when filled in, must be the facility itself. Others get AR (a misrouted feed is never
     * filed). `*` applies to facilities not listed; a facility with neither accepts no ADT at all.
     */
    adtSendingFacilities: z.record(z.string(), z.array(z.string().trim().min(1).max(180)).min(1)).default({}),
    /** Per facility, the care managers who take new stays: the units each covers and the most stays each carries. */
    careManagers: z
      .record(
        z.string(),
        z.array(
          z.object({
            careManagerId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
            name: z.string(),
            units: z.array(z.string()).min(1),
            maxCaseload: z.number().int().positive(),
          }),
        ),
      )
      .default({}),
    /**
     * Per workflow, the most days an execution is expected to run; older running ones page (the
     * hourly stuck-execution check). Most stays end within weeks (60); the 30-day follow-up window
     * plus a day (31); a transfer is hours to days (7); the 30-day grievance deadline plus grace (45).
     */
    executionAgeLimitDays: z
      .object({
        'discharge-planning': z.number().positive(),
        'post-discharge-follow-up': z.number().positive(),
        transfer: z.number().positive(),
        grievance: z.number().positive(),
      })
      .default({ 'discharge-planning': 60, 'post-discharge-follow-up': 31, transfer: 7, grievance: 45 }),
    /** Grievance time frames (42 CFR 482.13 leaves them to the hospital): acknowledge, then resolve in writing. */
    grievancePolicy: z
      .object({ acknowledgeWithinDays: z.number().int().positive(), resolveWithinDays: z.number().int().positive() })
      .default({ acknowledgeWithinDays: 7, resolveWithinDays: 30 }),
  })
  // Every clinical day (TCM deadlines, lengths of stay, metrics days, HL7 times without an offset) is the facility's own.
  .refine((c) => c.facilities.every((facility) => c.facilityTimeZones[facility]), {
    message: 'every facility needs its IANA time zone in facilityTimeZones',
    path: ['facilityTimeZones'],
  })
  .refine((c) => c.clients.every((client) => c.facilities.includes(client.facility)), {
    message: 'every client must belong to a listed facility',
    path: ['clients'],
  })
  .refine((c) => !c.retainData || !('*' in c.adtSendingFacilities), {
    message: "a stage that retains data lists each facility's ADT sending facilities (no `*`)",
    path: ['adtSendingFacilities'],
  })
  // Sign-in codes go to these addresses: where real data lives, only the hospital's own HTTPS app.
  .refine((c) => !c.retainData || c.careTeamAppCallbackUrls.every(isOwnHttps), {
    message: 'a stage that retains data needs HTTPS callback URLs of its own (not localhost)',
    path: ['careTeamAppCallbackUrls'],
  })
  .refine((c) => !c.retainData || (c.careTeamAppOrigins ?? []).every(isOwnHttps), {
    message: 'a stage that retains data lets only HTTPS origins of its own call the API (not localhost)',
    path: ['careTeamAppOrigins'],
  })
  .transform((c) => ({
    ...c,
    careTeamAppOrigins: c.careTeamAppOrigins ?? [...new Set(c.careTeamAppCallbackUrls.map((url) => new URL(url).origin))],
  }));
export type StageConfig = z.infer<typeof stageSchema>;

/**
 * What prod ships with and a hospital must replace before keeping real data there: a sign-in
 * callback on a reserved example domain (RFC 2606), this repository's own Cognito domain prefix
 * (prefixes are unique per region across all AWS accounts: every site using it collides), and a
 * made-up machine client.
 */
const PLACEHOLDER_DOMAIN_PREFIXES = ['carepath-prod-auth', 'carepath-dev-auth'];
const PLACEHOLDER_CLIENTS = ['interface-engine'];
const isPlaceholderUrl = (url: string) => {
  const host = new URL(url).hostname;
  return /(^|\.)(example|test|invalid)$/.test(host) || /(^|\.)example\.(com|net|org)$/.test(host);
};
function placeholdersIn(config: StageConfig): string[] {
  return [
    ...(config.careTeamAppCallbackUrls.some(isPlaceholderUrl) ? ['careTeamAppCallbackUrls'] : []),
    ...(PLACEHOLDER_DOMAIN_PREFIXES.includes(config.authDomainPrefix) ? ['authDomainPrefix'] : []),
    ...(config.clients.some((client) => PLACEHOLDER_CLIENTS.includes(client.name)) ? ['clients'] : []),
  ];
}

const STAGES: Record<string, unknown> = {
  dev: {
    stage: 'dev',
    prefix: 'carepath-dev',
    retainData: false,
    logRetentionDays: 30,
    // F3 is the facility the metrics test seeds a month into; no other test writes there.
    facilities: ['F1', 'F2', 'F3'],
    clients: [
      { name: 'demo-ehr-f1', facility: 'F1' },
      { name: 'demo-ehr-f2', facility: 'F2' },
      { name: 'demo-ehr-f3', facility: 'F3' },
    ],
    authDomainPrefix: 'carepath-dev-auth',
    // Synthetic care managers; a site lists its own.
    careManagers: {
      F1: [
        { careManagerId: 'cm-adams', name: 'Avery Adams', units: ['4W', '5E'], maxCaseload: 400 },
        { careManagerId: 'cm-baker', name: 'Blake Baker', units: ['4W'], maxCaseload: 400 },
        { careManagerId: 'cm-icu', name: 'Casey Cruz', units: ['ICU'], maxCaseload: 2 },
      ],
    },
    facilityTimeZones: { F1: 'America/New_York', F2: 'America/Chicago', F3: 'America/Denver' },
    // F2 closes its clinics the day after Thanksgiving too.
    facilityHolidays: { F2: ['2026-11-27', '2027-11-26'] },
    // What the local feeds send as MSH-4 (local/synthetic-adt.ts; the fuzz test's FUZZHOSP); `*`
    // for the load test's facility of its own.
    adtSendingFacilities: { F1: ['GENHOSP', 'FUZZHOSP'], F2: ['GENHOSP'], F3: ['GENHOSP'], '*': ['GENHOSP'] },
  },
  // HIPAA asks for six years of documentation; 2557 days is the nearest retention CloudWatch offers.
  // Placeholders: synth refuses them (placeholdersIn). A hospital supplies its facilities, clients,
  // domain prefix and care-team app address in a site file of its own, outside the repository:
  // CAREPATH_STAGE_CONFIG=site.json or -c stageConfig=site.json (test/fixtures/site-prod.json is one).
  prod: {
    stage: 'prod',
    prefix: 'carepath-prod',
    retainData: true,
    logRetentionDays: 2557,
    facilities: ['F1'],
    clients: [{ name: 'interface-engine', facility: 'F1' }],
    authDomainPrefix: 'carepath-prod-auth',
    careTeamAppCallbackUrls: ['https://care-team.hospital.example/callback'],
    facilityTimeZones: { F1: 'America/New_York' },
  },
};

/**
 * A stage's settings: its defaults here, with a site's own JSON file (if any) merged over them key by
 * key. A hospital keeps its prod settings outside the repository and points synth at them with
 * `CAREPATH_STAGE_CONFIG=path/to/site.json` or `cdk … -c stageConfig=path/to/site.json`.
 */
/** A stage's settings are wrong: synth prints the message (one line) without a stack trace. */
export class StageConfigError extends Error {
  override name = 'StageConfigError';
}

export function loadStageConfig(stage: string, siteConfigFile?: string): StageConfig {
  const raw = STAGES[stage];
  if (!raw) throw new StageConfigError(`Unknown stage "${stage}"; expected one of ${Object.keys(STAGES).join(', ')}`);
  if (!siteConfigFile) return parseStageConfig(raw);
  const file = path.resolve(siteConfigFile);
  let site: unknown;
  try {
    site = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StageConfigError(`Stage config ${file}: cannot read it as JSON (${(error as Error).message})`);
  }
  if (site === null || typeof site !== 'object' || Array.isArray(site))
    throw new StageConfigError(`Stage config ${file}: expected a JSON object of stage settings`);
  try {
    return parseStageConfig({ ...(raw as object), ...site });
  } catch (error) {
    throw new StageConfigError(`Stage config ${file}: ${(error as Error).message}`);
  }
}

/** Checks a stage's settings; a problem is one line naming the setting (synth prints it as is). */
export function parseStageConfig(raw: unknown): StageConfig {
  const parsed = stageSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StageConfigError(
      `Invalid stage settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
    );
  }
  const placeholders = placeholdersIn(parsed.data);
  if (parsed.data.retainData && placeholders.length > 0) {
    throw new StageConfigError(
      `Stage ${parsed.data.stage} keeps real data but still has placeholder ${placeholders.join(', ')}: replace them with the hospital's own in a site file (CAREPATH_STAGE_CONFIG=site.json or -c stageConfig=site.json; see infra/config/stage.ts).`,
    );
  }
  return parsed.data;
}

export const removalPolicy = (config: StageConfig) => (config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);

const RETENTION: Record<StageConfig['logRetentionDays'], RetentionDays> = {
  30: RetentionDays.ONE_MONTH,
  90: RetentionDays.THREE_MONTHS,
  365: RetentionDays.ONE_YEAR,
  2557: RetentionDays.SEVEN_YEARS,
};
export const logRetention = (config: StageConfig) => RETENTION[config.logRetentionDays];

/** The few physical names other stacks and operators use: `<prefix>-<what>` (the care table, each state machine). */
export const physicalName = (config: StageConfig, what: string) => `${config.prefix}-${what}`;
