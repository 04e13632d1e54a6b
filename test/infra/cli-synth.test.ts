import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Synthesizes the way an operator does, through the pinned CDK CLI and cdk.json's app, rather
// than createApp(): the CLI sets context (every stack bundled, validation reported, not thrown)
// and the environment (CDK_DEFAULT_REGION always, CDK_DEFAULT_ACCOUNT with credentials) that
// tsx synths never see. Then cfn-lint reads every template, as CloudFormation's own linter
// would before a deployment fails on it.

const root = path.resolve(import.meta.dirname, '../..');
const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

interface Run {
  status: number | null;
  output: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/**
 * The environment of a synth on a machine that has never seen AWS: a developer's own profile,
 * keys or region must not decide what the test synthesizes (nor send the CLI to STS).
 */
function isolatedEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    AWS_CONFIG_FILE: path.join(root, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'no-such-aws-credentials'),
    // No instance metadata lookup: off EC2 it only waits for a timeout.
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: '1',
    // Templates only: bundling ~110 functions costs ~100 s per synth on two cores (infra/app.ts).
    CAREPATH_SKIP_BUNDLING: '1',
    ...extra,
  };
}

const withEnvironment = {
  CDK_DEFAULT_ACCOUNT: ACCOUNT,
  CDK_DEFAULT_REGION: REGION,
  // The CLI overwrites CDK_DEFAULT_REGION with the region its SDK resolves: this is where it looks.
  AWS_REGION: REGION,
};

// Prod refuses the repository's placeholders: a site supplies its own settings, as docs/deploy.md says.
const SITE_PROD = 'test/fixtures/site-prod.json';

const SYNTHS = [
  { stage: 'dev', context: [], env: withEnvironment, environment: `aws://${ACCOUNT}/${REGION}` },
  {
    stage: 'prod (site config)',
    context: ['-c', `stageConfig=${SITE_PROD}`],
    env: withEnvironment,
    environment: `aws://${ACCOUNT}/${REGION}`,
  },
  // No credentials, no region: the CLI still sets a region (us-east-1), never an account.
  { stage: 'dev', context: [], env: {}, environment: 'aws://unknown-account/us-east-1' },
] as const;

const synthesized: string[] = [];
const outdirs: string[] = [];
const outdir = (stage: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), `carepath-cli-${stage}-`));
  outdirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('cdk synth through the pinned CLI, as an operator runs it', () => {
  it.each(SYNTHS)(
    '$stage with $environment exits 0 with every cdk-nag finding acknowledged',
    async ({ stage, context, env, environment }) => {
      const stageId = stage.split(' ')[0]!;
      const assembly = outdir(stageId);
      const result = await run('npx', ['cdk', 'synth', '--quiet', '-c', `stage=${stageId}`, ...context, '-o', assembly], isolatedEnv(env));
      // An unacknowledged cdk-nag finding is printed and turns the exit code to 1.
      expect(result.status, result.output).toBe(0);

      const manifest = JSON.parse(readFileSync(path.join(assembly, 'manifest.json'), 'utf8')) as {
        artifacts: Record<string, { type: string; environment?: string; properties?: { templateFile?: string } }>;
      };
      const stacks = Object.entries(manifest.artifacts).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
      expect(stacks.map(([id]) => id).sort()).toEqual(
        ['', '-api', '-api-care-record', '-api-discharge', '-api-patient-services', '-operations']
          .map((suffix) => `Carepath-${stageId}${suffix}`)
          .sort(),
      );
      expect(new Set(stacks.map(([, artifact]) => artifact.environment))).toEqual(new Set([environment]));
      // The switch held: no function was bundled (else this test costs minutes, not seconds).
      expect(readdirSync(assembly).filter((entry) => entry.startsWith('asset.'))).toEqual([]);
      synthesized.push(...stacks.map(([, artifact]) => path.join(assembly, artifact.properties!.templateFile!)));
    },
    180_000,
  );

  it('prod without a site config exits 1 with one line naming the placeholders and how to supply a site file', async () => {
    const result = await run('npx', ['cdk', 'synth', '--quiet', '-c', 'stage=prod', '-o', outdir('prod')], isolatedEnv(withEnvironment));
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/Stage prod keeps real data but still has placeholder .*stageConfig=site\.json/);
  }, 180_000);

  it('cfn-lint finds nothing in any template of any stage (W3005, redundant DependsOn that CDK writes, aside)', async () => {
    expect(synthesized.length, 'the synths above ran first').toBe(SYNTHS.length * 6);
    const result = await run('cfn-lint', ['--ignore-checks', 'W3005', '--', ...synthesized], process.env);
    // cfn-lint's exit code is a bit mask (2 errors, 4 warnings, 8 informational); any finding fails.
    expect(result.status, result.output).toBe(0);
  }, 300_000);
});
