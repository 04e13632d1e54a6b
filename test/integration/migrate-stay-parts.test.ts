import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAY_PART_NAMES, STAY_PARTS, type StayPart } from '../../shared/domain/stay-parts';
import { newId } from '../../shared/ids';
import { fromItem, toItem } from '../../shared/store/dynamo';
import { followingUpKey, keys, shardOf } from '../../shared/store/keys';
import { splitStayParts, type SplitResult } from '../../infra/migrations/split-stay-parts';
import { api, localDynamo, localStack } from '../support/clients';

/**
 * The one-off migration of issue 18 item 1 (infra/migrations/split-stay-parts.ts) on stays stored
 * the way the code before acc51be stored them: one encounter item holding every part's fields.
 * The seeded stays are discharged or outpatient, so no workflow starts or changes them.
 */
const client = localDynamo();
const table = () => localStack().tableName;
afterAll(() => client.destroy());

const AT = '2026-10-05T14:00:00.000Z';

/** Every part's fields of a synthetic, documented stay (values made up, none from the issue). */
const PART_FIELDS = {
  medicationReconciliation: { status: 'complete', reconciledAt: AT, items: [{ name: 'Synthetic furosemide 40 mg', action: 'continue' }] },
  needsAssessment: { notes: 'Synthetic: stairs at home', assessedAt: AT, needs: ['mobility'] },
  goalsAndPreferences: {
    goals: ['Walk to the post office'],
    treatmentPreferences: [],
    preferredLanguage: 'en',
    interpreterNeeded: false,
    preferredPostAcuteProviders: [],
    recordedAt: AT,
  },
  goalsOfCare: { level: 'full-treatment', codeStatus: 'full-code', directives: [], recordedAt: AT },
  choiceList: { offeredAt: AT, providers: [{ providerId: 'HHA-SYN-1', name: 'Synthetic Home Health' }] },
  patientChoice: { providerId: 'HHA-SYN-1', chosenAt: AT },
  serviceArrangements: [{ service: 'home-health', status: 'arranged', providerId: 'HHA-SYN-1', arrangedAt: AT }],
  riskInputs: {
    conditions: ['I50.9', 'N18.3'],
    edVisitsPrior6Months: 2,
    admissionsPrior12Months: 1,
    haemoglobinAtDischarge: 10.8,
    sodiumAtDischarge: 133,
    oncologyService: false,
    procedureDuringStay: true,
  },
  riskOverride: { tier: 'high', reason: 'Synthetic: lives alone', at: AT },
  followUp: {
    executionName: 'follow-up-syn',
    status: 'open',
    complexity: 'moderate',
    contactDueBy: '2026-10-07T23:59:59.999Z',
    visitDueBy: '2026-10-19T23:59:59.999Z',
    windowClosesAt: '2026-11-03T23:59:59.999Z',
    contactTaskId: 'task-syn-contact',
    visitTaskId: 'task-syn-visit',
    attempts: [],
  },
  satisfactionSurvey: { surveyId: 'survey-syn', sentAt: AT, status: 'sent' },
};
const PART_FIELD_NAMES = Object.keys(PART_FIELDS);

/** An encounter item as the code before the split stored it, with its index attributes as that code set them. */
function oldShapeStay(over: Record<string, unknown> = {}) {
  const encounterId = newId();
  const patientId = newId();
  const stay = {
    encounterId,
    patientId,
    facilityId: 'F1',
    unit: 'MIG',
    class: 'inpatient',
    admissionType: 'urgent',
    admittedAt: '2026-10-01T08:00:00.000Z',
    status: 'discharged',
    version: 7,
    createdAt: '2026-10-01T08:00:01.000Z',
    updatedAt: AT,
    dischargePlan: { path: 'home-with-services', services: ['home-health'], decidedAt: '2026-10-03T10:00:00.000Z' },
    discharge: { disposition: 'home-with-services', dischargedAt: '2026-10-05T12:00:00.000Z', source: 'workflow' },
    ...over,
  };
  const following =
    ((stay as Record<string, unknown>).followUp as { status?: string } | undefined)?.status === 'open' && stay.status === 'discharged';
  return {
    ...keys.encounter(encounterId),
    entityType: 'Encounter',
    ...stay,
    gsi1pk: keys.encountersOfPatient(patientId),
    gsi1sk: `${stay.admittedAt}#${encounterId}`,
    ...(following ? { gsi2pk: followingUpKey(shardOf(encounterId)), gsi2sk: `${stay.admittedAt}#${encounterId}` } : {}),
  } as Record<string, unknown> & { encounterId: string; patientId: string; admittedAt: string };
}

const put = (tableName: string, item: Record<string, unknown>) =>
  client.send(new PutItemCommand({ TableName: tableName, Item: toItem(item) }));
const stored = async (tableName: string, key: { pk: string; sk: string }) => {
  const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(key), ConsistentRead: true }));
  return out.Item ? fromItem<Record<string, unknown>>(out.Item) : undefined;
};
/** The GET of a part: its own route, except the risk's, which is GET /risk (the computed scores). */
const partPath = (encounterId: string, part: StayPart) => `/v1/encounters/${encounterId}/${STAY_PARTS[part].path}`;
/** The stay's facts as GET /v1/encounters/{id} shows them (not its workflows, nor which part records hold them). */
const stayFacts = ({ workflow: _w, followUpWorkflow: _f, partVersions: _p, ...rest }: Record<string, unknown>) => rest;

describe('splitting old-shape stays into part records (on the local stack)', () => {
  const full = oldShapeStay(PART_FIELDS);
  const bare = oldShapeStay({ class: 'outpatient', status: 'admitted', dischargePlan: undefined, discharge: undefined });
  // The new code wrote this stay's goals of care after deployment (If-Match "0", then twice more):
  // its record wins over the encounter's stale copy.
  const partly = oldShapeStay({ goalsOfCare: PART_FIELDS.goalsOfCare, riskInputs: PART_FIELDS.riskInputs });
  const newerGoalsOfCare = { ...PART_FIELDS.goalsOfCare, codeStatus: 'dnr', recordedAt: '2026-10-06T09:00:00.000Z' };
  let before: Record<string, Record<string, unknown>>;
  let first: SplitResult;

  beforeAll(async () => {
    for (const item of [full, bare, partly]) await put(table(), item);
    await put(table(), {
      ...keys.stayPart(partly.encounterId, 'goalsOfCare'),
      goalsOfCare: newerGoalsOfCare,
      entityType: STAY_PARTS.goalsOfCare.entityType,
      encounterId: partly.encounterId,
      part: 'goalsOfCare',
      version: 3,
      updatedAt: '2026-10-06T09:00:00.000Z',
    });
    before = {};
    for (const stay of [full, bare, partly]) {
      const response = await api('GET', `/v1/encounters/${stay.encounterId}`);
      expect(response.status).toBe(200);
      before[stay.encounterId] = stayFacts(response.body);
    }
  }, 120_000);

  it('before the migration the API shows no part records of an old-shape stay', async () => {
    expect((await api('GET', partPath(full.encounterId, 'medicationReconciliation'))).status).toBe(404);
    expect((await api('GET', `/v1/encounters/${full.encounterId}/risk`)).headers.get('etag')).toBe('"0"');
    expect(await stored(table(), keys.stayPart(full.encounterId, 'followUp'))).toBeUndefined();
  });

  it('moves every part into its own record at version 1, the stay reading the same through the API', { timeout: 300_000 }, async () => {
    first = await splitStayParts({ client, tableName: table(), segments: 2 });
    expect(first.complete).toBe(true);
    expect(first.failed).toEqual([]);
    expect(first.counts.migrated).toBeGreaterThanOrEqual(2);
    expect(first.counts.alreadySplit).toBeGreaterThanOrEqual(1);

    for (const stay of [full, bare, partly]) {
      const response = await api('GET', `/v1/encounters/${stay.encounterId}`);
      expect(response.status).toBe(200);
      // Only the stay's storage moved: its encounter version (the ETag clients hold) did not change.
      expect(response.headers.get('etag')).toBe('"7"');
      const expected = stay === partly ? { ...before[stay.encounterId], goalsOfCare: newerGoalsOfCare } : before[stay.encounterId];
      expect(stayFacts(response.body)).toEqual(expected);
    }
    expect(Object.values((await api('GET', `/v1/encounters/${full.encounterId}`)).body.partVersions)).toEqual(STAY_PART_NAMES.map(() => 1));

    for (const part of STAY_PART_NAMES) {
      const response = await api('GET', part === 'risk' ? `/v1/encounters/${full.encounterId}/risk` : partPath(full.encounterId, part));
      expect({ part, status: response.status, etag: response.headers.get('etag') }).toEqual({ part, status: 200, etag: '"1"' });
    }
    const record = (await stored(table(), keys.encounter(full.encounterId)))!;
    for (const field of PART_FIELD_NAMES) expect(record).not.toHaveProperty(field);
    expect(record).not.toHaveProperty('gsi2pk');
    expect(record).toMatchObject({
      version: 7,
      gsi1pk: keys.encountersOfPatient(String(full.patientId)),
      lastChange: { who: 'migration split-stay-parts', role: 'system' },
    });
    expect(await stored(table(), keys.stayPart(full.encounterId, 'followUp'))).toMatchObject({
      entityType: 'FollowUp',
      version: 1,
      followUp: PART_FIELDS.followUp,
      gsi2pk: followingUpKey(shardOf(full.encounterId)),
      gsi2sk: `${full.admittedAt}#${full.encounterId}`,
    });

    expect((await api('GET', partPath(partly.encounterId, 'goalsOfCare'))).headers.get('etag')).toBe('"3"');
    expect((await api('GET', `/v1/encounters/${partly.encounterId}/risk`)).headers.get('etag')).toBe('"1"');
    expect(await stored(table(), keys.encounter(partly.encounterId))).not.toHaveProperty('goalsOfCare');
    expect((await api('GET', partPath(bare.encounterId, 'goalsOfCare'))).status).toBe(404);
  });

  it('changes nothing when run again', { timeout: 300_000 }, async () => {
    const records = async () => Promise.all([full, bare, partly].map((stay) => stored(table(), keys.encounter(stay.encounterId))));
    const was = await records();
    const again = await splitStayParts({ client, tableName: table() });
    expect(again.complete).toBe(true);
    expect(again.counts).toMatchObject({ migrated: 0, partsWritten: 0, conflictsRetried: 0 });
    expect(again.counts.alreadySplit).toBe(again.counts.scanned);
    expect(await records()).toEqual(was);
  });
});

/** An empty table shaped as the care table (keys and indexes), in the stack's DynamoDB Local. */
async function createTableLikeCare(tableName: string) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table() }));
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: Table!.AttributeDefinitions,
      KeySchema: Table!.KeySchema,
      GlobalSecondaryIndexes: Table!.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }) => ({
        IndexName,
        KeySchema,
        Projection,
      })),
    }),
  );
}

describe('an interrupted migration, resumed (a seeded table of its own)', () => {
  const tableName = `migrate-stay-parts-${newId()}`;
  const old = Array.from({ length: 24 }, (_, i) =>
    oldShapeStay(
      i % 2
        ? { medicationReconciliation: PART_FIELDS.medicationReconciliation }
        : { followUp: PART_FIELDS.followUp, satisfactionSurvey: PART_FIELDS.satisfactionSurvey },
    ),
  );
  const split = Array.from({ length: 6 }, () => oldShapeStay());

  beforeAll(async () => {
    await createTableLikeCare(tableName);
    for (const item of [...old, ...split]) await put(tableName, item);
    // Items that are not encounters are scanned past.
    for (let i = 0; i < 10; i++) await put(tableName, { ...keys.task(newId()), entityType: 'CareTask', status: 'open' });
  }, 120_000);
  afterAll(() => client.send(new DeleteTableCommand({ TableName: tableName })));

  it('stops after a page with a checkpoint, and the resumed run migrates each remaining stay once', { timeout: 120_000 }, async () => {
    const stopped = await splitStayParts({ client, tableName, segments: 2, pageSize: 4, maxPages: 1 });
    expect(stopped.complete).toBe(false);
    expect(stopped.checkpoint.segments).toBe(2);
    expect(stopped.counts.scanned).toBeLessThanOrEqual(8);
    expect(stopped.counts.scanned).toBeGreaterThan(0);

    const pages: number[] = [];
    const resumed = await splitStayParts({
      client,
      tableName,
      pageSize: 4,
      resumeFrom: stopped.checkpoint,
      onPage: ({ page }) => void pages.push(page),
    });
    expect(resumed.complete).toBe(true);
    expect(resumed.checkpoint.positions).toEqual(['done', 'done']);
    expect(pages.length).toBeGreaterThan(1);
    // Each encounter record scanned once over the two runs, each old-shape stay migrated once.
    expect(stopped.counts.scanned + resumed.counts.scanned).toBe(old.length + split.length);
    expect(stopped.counts.migrated + resumed.counts.migrated).toBe(old.length);
    expect(stopped.counts.alreadySplit + resumed.counts.alreadySplit).toBe(split.length);
    expect(stopped.counts.partsWritten + resumed.counts.partsWritten).toBe(old.length * 1.5);

    const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
    const items = Items.map((item) => fromItem<Record<string, unknown>>(item));
    for (const stay of old) {
      const records = items.filter((item) => item.pk === `ENCOUNTER#${stay.encounterId}`);
      const parts = records.filter((item) => item.sk !== 'ENCOUNTER');
      expect(parts.every((part) => part.version === 1)).toBe(true);
      expect(parts.map((part) => part.part).sort()).toEqual(
        stay.followUp ? ['followUp', 'satisfactionSurvey'] : ['medicationReconciliation'],
      );
      const record = records.find((item) => item.sk === 'ENCOUNTER')!;
      for (const field of PART_FIELD_NAMES) expect(record).not.toHaveProperty(field);
    }

    // A crash after the page's writes but before its checkpoint was kept: the page is redone, harmlessly.
    const redone = await splitStayParts({ client, tableName, resumeFrom: stopped.checkpoint });
    expect(redone.counts).toMatchObject({ migrated: 0, partsWritten: 0 });
  });
});

describe('npm run migrate:split-stay-parts (the command an operator runs)', () => {
  const tableName = `migrate-stay-parts-cli-${newId()}`;
  const stays = Array.from({ length: 12 }, () =>
    oldShapeStay({ goalsOfCare: PART_FIELDS.goalsOfCare, needsAssessment: PART_FIELDS.needsAssessment }),
  );
  const checkpoint = join(mkdtempSync(join(tmpdir(), 'split-stay-parts-')), 'checkpoint.json');
  const run = async (...args: string[]) => {
    const env = {
      ...process.env,
      TABLE_NAME: tableName,
      AWS_ENDPOINT_URL_DYNAMODB: localStack().dynamodbUrl,
      AWS_REGION: localStack().region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
    const cli = join(process.cwd(), 'infra/migrations/run-split-stay-parts.ts');
    const done = await promisify(execFile)(join(process.cwd(), 'node_modules/.bin/tsx'), [cli, '--checkpoint', checkpoint, ...args], {
      env,
    }).then(
      (out) => ({ code: 0, ...out }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    return {
      code: done.code,
      stdout: done.stdout,
      lines: done.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    };
  };

  beforeAll(async () => {
    await createTableLikeCare(tableName);
    for (const item of stays) await put(tableName, item);
  }, 120_000);
  afterAll(() => client.send(new DeleteTableCommand({ TableName: tableName })));

  it('stops with a checkpoint only the operator reads, resumes from it, and prints counts and no patient data', {
    timeout: 120_000,
  }, async () => {
    const stopped = await run('--page-size', '5', '--max-pages', '1');
    expect(stopped.code).toBe(1);
    expect(stopped.lines.at(-1)).toMatchObject({ event: 'stopped', scanned: 5, resumeWith: checkpoint });
    expect(statSync(checkpoint).mode & 0o777).toBe(0o600);

    const resumed = await run('--page-size', '5');
    expect(resumed.code).toBe(0);
    expect(resumed.lines[0]).toMatchObject({ event: 'start', resumed: true });
    expect(resumed.lines.at(-1)).toMatchObject({ event: 'complete', scanned: 7, migrated: 7, gaveUpOn: [] });
    expect(existsSync(checkpoint)).toBe(false);

    const again = await run();
    expect(again.lines.at(-1)).toMatchObject({ event: 'complete', scanned: 12, migrated: 0, alreadySplit: 12 });
    // Ids and counts only: no part's content, no patient's or stay's id, no item key.
    for (const output of [stopped.stdout, resumed.stdout, again.stdout]) {
      expect(output).not.toMatch(/Synthetic|ENCOUNTER#|PATIENT/);
      for (const stay of stays) expect(output).not.toContain(stay.patientId);
    }
  });
});
