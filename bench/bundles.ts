import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { LOCAL_ACCOUNT } from '../local/stack';
import { LocalTemplate } from '../local/template';

/**
 * Each handler bundle as CDK built it (cdk.out): its size, and its module-init time against an
 * empty handler bundled the same way. Init is measured as Lambda's Init Duration would see it
 * locally: a fresh `node` process importing the bundle, wall time, median of RUNS.
 *   tsx bench/bundles.ts   (after npm run synth)
 */
const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 5);
const TARGET_KB = 250;
const TARGET_INIT_RATIO = 1.5;

const template = LocalTemplate.load('cdk.out', 'Carepath-dev', LOCAL_ACCOUNT);
const bundles = new Map<string, string>();
for (const [logicalId, resource] of template.ofType('AWS::Lambda::Function')) {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath !== 'string') continue;
  const dir = path.resolve('cdk.out', assetPath);
  const file = readdirSync(dir).find((f) => /^index\.m?js$/.test(f));
  if (file) bundles.set(template.physicalName(logicalId).replace(/^carepath-dev-/, '') || logicalId, path.join(dir, file));
}

// The baseline: an empty handler, bundled with the same options (ESM, minified, Node 22).
const emptyDir = mkdtempSync(path.join(tmpdir(), 'carepath-empty-'));
writeFileSync(path.join(emptyDir, 'handler.ts'), 'export const handler = async () => ({});\n');
buildSync({
  entryPoints: [path.join(emptyDir, 'handler.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  outfile: path.join(emptyDir, 'index.mjs'),
  logLevel: 'error',
});

function initMs(file: string): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(`file://${file}`)});`], {
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '' },
    });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

const emptyInit = initMs(path.join(emptyDir, 'index.mjs'));
const rows = [...bundles].map(([name, file]) => {
  const kb = statSync(file).size / 1024;
  const init = initMs(file);
  return { name, kb: Math.round(kb), initMs: Math.round(init), initRatio: Number((init / emptyInit).toFixed(2)) };
});
rows.sort((a, b) => b.kb - a.kb);
const summary = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  bundles: rows.length,
  emptyHandlerInitMs: Math.round(emptyInit),
  sizeKb: {
    min: Math.min(...rows.map((r) => r.kb)),
    median: rows[Math.floor(rows.length / 2)]!.kb,
    max: Math.max(...rows.map((r) => r.kb)),
  },
  initRatio: {
    min: Math.min(...rows.map((r) => r.initRatio)),
    median: [...rows].sort((a, b) => a.initRatio - b.initRatio)[Math.floor(rows.length / 2)]!.initRatio,
    max: Math.max(...rows.map((r) => r.initRatio)),
  },
  withinSizeTarget: rows.filter((r) => r.kb <= TARGET_KB).length,
  withinInitTarget: rows.filter((r) => r.initRatio <= TARGET_INIT_RATIO).length,
  rows,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/bundles.json', `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify({ ...summary, rows: rows.slice(0, 5) }, null, 2));
