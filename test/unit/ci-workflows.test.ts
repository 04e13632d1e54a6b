import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// What a hospital's platform team reads before adopting the pipelines: CI runs what the README
// tells a developer to run, and deployments reach AWS through GitHub's OIDC, never stored keys.

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  environment?: string | { name: string; url?: string };
  container?: string;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, any>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const ci = parse(read('.github/workflows/ci.yml')) as Workflow;
const deploy = parse(read('.github/workflows/deploy.yml')) as Workflow;
const runs = (workflow: Workflow) =>
  Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.run ? [step.run] : [])));

/** The README's Quick start test line, e.g. `npm install && npm test`: the command that tests. */
function readmeTestCommand(): string {
  const line = read('README.md')
    .split('\n')
    .find((l) => /^npm install && npm test\b/.test(l) || /^npm .*&& npm (run )?test\b/.test(l));
  if (!line) throw new Error('README.md has no Quick start test line');
  return line.replace(/#.*/, '').split('&&').at(-1)!.trim();
}

describe('CI (.github/workflows/ci.yml)', () => {
  it('runs on every push and pull request', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.on.push?.branches ?? null).toBeNull();
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  it("runs .ci/run, which ends in the README's test command after npm ci", () => {
    expect(readmeTestCommand()).toBe('npm test');
    expect(runs(ci)).toContain('.ci/run');
    const lines = read('.ci/run')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(lines.slice(-2)).toEqual(['npm ci --no-audit --no-fund', readmeTestCommand()]);
  });

  it('installs what the tests need: Java 17 (DynamoDB Local), Chromium (console test), cfn-lint (template lint)', () => {
    const install = runs(ci).join('\n');
    expect(install).toMatch(/openjdk-17-jre-headless/);
    expect(install).toMatch(/\bchromium\b/);
    expect(install).toMatch(/pip install .*cfn-lint/);
  });

  it('.ci/run stops with one line when cfn-lint is missing, before installing anything', () => {
    const script = read('.ci/run');
    const check = script.indexOf('command -v cfn-lint');
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(script.indexOf('apt-get'));
    expect(script.slice(check).split('\n')[0]).toMatch(/\|\| \{ echo "cfn-lint is missing: .*" >&2; exit 1; \}$/);
  });
});

describe('Deploy (.github/workflows/deploy.yml)', () => {
  const job = deploy.jobs.deploy!;
  const step = (uses: string) => job.steps.find((s) => s.uses?.startsWith(uses));

  it('deploys dev after CI passes on main, and any stage by hand', () => {
    expect(deploy.on.workflow_run).toEqual({ workflows: [ci.name], types: ['completed'], branches: ['main'] });
    expect(job.if).toMatch(/workflow_run\.conclusion == 'success'/);
    expect(job.if).toMatch(/workflow_run\.event == 'push'/);
    expect(deploy.on.workflow_dispatch.inputs.stage).toMatchObject({ type: 'choice', options: ['dev', 'prod'], default: 'dev' });
    // The stage is a GitHub environment: prod's required reviewers hold the job until approved.
    expect(job.environment).toMatchObject({ name: "${{ inputs.stage || 'dev' }}" });
  });

  it('gets AWS credentials from GitHub OIDC (id-token: write, role-to-assume) and holds no access keys', () => {
    expect(deploy.permissions).toEqual({ contents: 'read' });
    expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    const credentials = step('aws-actions/configure-aws-credentials@');
    expect(credentials?.with).toMatchObject({ 'role-to-assume': expect.stringMatching(/\S/), 'aws-region': expect.stringMatching(/\S/) });
    for (const text of [read('.github/workflows/deploy.yml'), read('.github/workflows/ci.yml')]) {
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-session-token/i);
    }
  });

  it('deploys every stack of the chosen stage with the pinned CLI, then smoke-tests the deployed API', () => {
    const commands = runs(deploy);
    const deployAt = commands.findIndex((c) => /npx cdk deploy --all --require-approval never -c stage="\$STAGE"/.test(c));
    const smokeAt = commands.findIndex((c) => /npm run smoke -- --api "\$API_URL" --token-url "\$TOKEN_URL"/.test(c));
    expect(deployAt).toBeGreaterThan(-1);
    expect(smokeAt).toBeGreaterThan(deployAt);
    // The role scope as well as the facility scope (a token without a role is refused everywhere).
    expect(commands[smokeAt]).toMatch(/--scope "carepath\/facility\.\$FACILITY carepath\/role\.integration-client"/);
    // The client secret from a secret, by environment (never on the command line of the log).
    const smoke = job.steps.find((s) => s.run === commands[smokeAt])!;
    expect(smoke.env?.SMOKE_CLIENT_SECRET).toBe('${{ secrets.SMOKE_CLIENT_SECRET }}');
    // The exact commit CI tested, or the one named for a rollback; in prod, only a commit on main.
    expect(step('actions/checkout@')?.with?.ref).toBe('${{ inputs.ref || github.event.workflow_run.head_sha || github.sha }}');
    const onMain = job.steps.find((s) => s.run?.startsWith('git merge-base --is-ancestor HEAD origin/main'));
    expect(onMain?.if).toBe("env.STAGE == 'prod'");
    expect(commands.indexOf(onMain!.run!)).toBeLessThan(deployAt);
  });
});
