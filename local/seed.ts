import { parseArgs } from 'node:util';
import { mintLocalToken } from './auth';
import { httpClient, seedMonth, type SeedProgress } from './seed/synthetic-month';

/**
 * `npm run seed -- [--url http://localhost:3000] [--facility F1] [--encounters 500] [--from YYYY-MM-DD]
 * [--days 30] [--units 4W,5E,ICU,6N] [--seed 20261001]`: sends a synthetic month of stays to a running
 * local stack (`npm start`) through its HTTP API. By default the 30 days up to today.
 */
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: `http://localhost:${process.env.CAREPATH_HTTP_PORT ?? 3000}` },
    facility: { type: 'string', default: 'F1' },
    encounters: { type: 'string', default: '500' },
    from: { type: 'string' },
    days: { type: 'string', default: '30' },
    units: { type: 'string', default: '4W,5E,ICU,6N' },
    seed: { type: 'string', default: '20261001' },
    concurrency: { type: 'string', default: '8' },
  },
});
const days = Number(values.days);
// The period ends today, so what the workflows do while the seed runs (referrals, refusals) falls in it.
const from = values.from ?? new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
const encounters = Number(values.encounters);
if (!Number.isInteger(encounters) || encounters < 1 || !Number.isInteger(days) || days < 1 || !/^\d{4}-\d{2}-\d{2}$/.test(from)) {
  console.error(
    'Usage: npm run seed -- [--encounters 500] [--from YYYY-MM-DD] [--days 30] [--facility F1] [--units 4W,5E] [--url http://localhost:3000]',
  );
  process.exit(2);
}

/** One line, redrawn in place on a terminal; a line per tenth elsewhere (CI logs). */
function progressBar(label: string) {
  const started = Date.now();
  let lastTenth = -1;
  return ({ done, total }: SeedProgress) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const seconds = (Date.now() - started) / 1000;
    const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${seconds.toFixed(0)} s`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (Math.floor((done / total) * 10) > lastTenth || done === total) {
      lastTenth = Math.floor((done / total) * 10);
      process.stderr.write(`${line}\n`);
    }
  };
}

const token = await mintLocalToken({ facilityId: values.facility!, clientId: 'seed' });
const units = values
  .units!.split(',')
  .map((unit) => unit.trim())
  .filter(Boolean);
const started = Date.now();
const result = await seedMonth(
  httpClient(values.url!, token),
  { units, from, days, encounters, seed: Number(values.seed), concurrency: Number(values.concurrency) },
  progressBar(`Seeding ${values.facility} from ${from}`),
);
const to = new Date(Date.parse(from) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
console.log(`${result.stays} stays (${encounters} admissions and their readmissions) in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
console.log(`Metrics: GET ${values.url}/v1/metrics?from=${from}&to=${to}   (token: npm run token -- --facility ${values.facility})`);
