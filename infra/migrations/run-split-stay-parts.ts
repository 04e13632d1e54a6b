import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { splitStayParts, type Checkpoint } from './split-stay-parts';

/**
 * `TABLE_NAME=<care table> npm run migrate:split-stay-parts -- [--segments 4] [--page-size 1000]
 * [--checkpoint split-stay-parts.checkpoint.json] [--max-pages N]`: moves the parts of every
 * old-shape stay into their own records (infra/migrations/split-stay-parts.ts; docs/deploy.md).
 * The default AWS credential chain and region; AWS_ENDPOINT_URL_DYNAMODB for the local stack.
 * Prints one JSON line per page and one at the end: counts, and the ids of stays given up on.
 */
const usage =
  'Usage: TABLE_NAME=<table> npm run migrate:split-stay-parts -- [--segments 4] [--page-size 1000] [--checkpoint FILE] [--max-pages N]';
const { values } = parseArgs({
  options: {
    segments: { type: 'string', default: '1' },
    'page-size': { type: 'string', default: '1000' },
    checkpoint: { type: 'string', default: 'split-stay-parts.checkpoint.json' },
    'max-pages': { type: 'string' },
  },
});
const tableName = process.env.TABLE_NAME;
const segments = Number(values.segments);
const pageSize = Number(values['page-size']);
const maxPages = values['max-pages'] === undefined ? undefined : Number(values['max-pages']);
const wholeAtLeastOne = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 1);
if (!tableName || !wholeAtLeastOne(segments) || !wholeAtLeastOne(pageSize) || !wholeAtLeastOne(maxPages)) {
  console.error(usage);
  process.exit(2);
}

// The checkpoint holds each segment's Scan position, which can be the key of any item (a patient
// identifier's among them): it stays in a file only the operator can read, is never printed, and
// is deleted once the scan is complete.
const checkpointFile = values.checkpoint;
const resumeFrom = existsSync(checkpointFile) ? (JSON.parse(readFileSync(checkpointFile, 'utf8')) as Checkpoint) : undefined;
const save = (checkpoint: Checkpoint) => writeFileSync(checkpointFile, JSON.stringify(checkpoint), { mode: 0o600 });
const line = (fields: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fields)}\n`);

line({ event: 'start', table: tableName, segments: resumeFrom?.segments ?? segments, resumed: Boolean(resumeFrom), checkpointFile });
const result = await splitStayParts({
  client: new DynamoDBClient({}),
  tableName,
  segments,
  pageSize,
  ...(resumeFrom ? { resumeFrom } : {}),
  ...(maxPages === undefined ? {} : { maxPages }),
  onPage: ({ segment, page, counts, checkpoint }) => {
    save(checkpoint);
    line({ event: 'page', segment, page, ...counts });
  },
});
if (result.complete) rmSync(checkpointFile, { force: true });
else save(result.checkpoint);
line({
  event: result.complete ? 'complete' : 'stopped',
  ...result.counts,
  gaveUpOn: result.failed,
  ...(result.complete ? {} : { resumeWith: checkpointFile }),
});
// Stays given up on were changing all along: run again (nothing already split is touched twice).
process.exit(result.complete && result.failed.length === 0 ? 0 : 1);
