import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStageConfig } from '../../infra/config/stage';
import { mintLocalToken } from '../../local/auth';
import { httpClient, seedMonth, type ApiClient } from '../../local/seed/synthetic-month';
import { api, localDynamo, localStack } from '../support/clients';

/**
 * The metrics are counted incrementally from the change stream. This test seeds a month of 500
 * stays (plus readmissions) into facility F3, which no other test writes to, then recomputes
 * every figure straight from the stored records, in code that shares nothing with the counting
 * (lists and sorts instead of counters and histograms), and expects the API to agree.
 */
const FACILITY = 'F3';
const UNITS = ['7N', '7S', '8N', '8S'];
const TIME_ZONE = loadStageConfig('dev').facilityTimeZones[FACILITY]!;
const DAY = 86_400_000;
const from = new Date(Date.now() - 29 * DAY).toISOString().slice(0, 10);
// Tomorrow: the facility's "today" may already be tomorrow in UTC terms, or not yet.
const to = new Date(Date.now() + DAY).toISOString().slice(0, 10);

let client: ApiClient;

type Row = Record<string, any>;

/** Every record of the table, read the slow way (a scan), as no request path ever does. */
async function everything(): Promise<Row[]> {
  const rows: Row[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await localDynamo().send(new ScanCommand({ TableName: localStack().tableName, ExclusiveStartKey: startKey }));
    rows.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

const localDate = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: TIME_ZONE });
const localHour = (iso: string) =>
  Number(new Date(iso).toLocaleTimeString('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', hour12: false }).slice(0, 2)) % 24;
const inPeriod = (iso: string) => localDate(iso) >= from && localDate(iso) <= to;
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
const median = (values: number[]) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const count = <T>(items: T[], test: (item: T) => unknown) => items.filter(test).length;
const minutesBetween = (a: string, b: string) => Math.max(0, Math.floor((Date.parse(b) - Date.parse(a)) / 60_000));

/**
 * The stays of F3 as documented: each encounter record with what the records of its parts (same
 * pk, sk ENCOUNTER#<part>) hold of the fields counted here joined in.
 */
function staysOf(rows: Row[]): Row[] {
  const stays = new Map(
    rows
      .filter((r) => r.entityType === 'Encounter' && r.facilityId === FACILITY && r.status !== 'cancelled')
      .map((s) => [s.pk as string, { ...s }]),
  );
  for (const record of rows) {
    const stay = stays.get(record.pk);
    if (!stay || !String(record.sk).startsWith('ENCOUNTER#')) continue;
    for (const field of ['needsAssessment', 'followUp', 'satisfactionSurvey']) if (record[field] !== undefined) stay[field] = record[field];
  }
  return [...stays.values()];
}

/** The metrics of one unit (or every unit) of F3, computed from the raw records. */
function recompute(rows: Row[], unit?: string) {
  const stays = staysOf(rows);
  const byId = new Map(stays.map((s) => [s.encounterId as string, s]));
  const onUnit = (u: string) => unit === undefined || u === unit;
  const admitted = stays.filter((s) => onUnit(s.unit) && inPeriod(s.admittedAt));
  const discharged = stays.filter((s) => s.status === 'discharged' && s.discharge && onUnit(s.unit) && inPeriod(s.discharge.dischargedAt));
  const eligible = discharged.filter(
    (s) => !['expired', 'another-hospital', 'left-against-medical-advice'].includes(s.discharge.disposition),
  );
  const readmitted = stays.filter(
    (s) =>
      s.readmission && !s.readmission.planned && onUnit(s.readmission.indexUnit ?? s.unit) && inPeriod(s.readmission.indexDischargedAt),
  );
  const lengths = discharged.map((s) => (Date.parse(localDate(s.discharge.dischargedAt)) - Date.parse(localDate(s.admittedAt))) / DAY);
  const evaluatedInTime = (s: Row) => {
    const times = [s.needsAssessment?.assessedAt, s.assessment?.recordedAt].filter(Boolean).map((t: string) => Date.parse(t));
    return times.length > 0 && Math.min(...times) - Date.parse(s.admittedAt) <= DAY;
  };
  const contacts = discharged.filter((s) => s.followUp?.contactOutcome);
  const visits = (within: 7 | 14) => {
    const due = discharged.filter((s) => s.followUp?.visitOutcome && (s.followUp.complexity === 'high' ? 7 : 14) === within);
    const met = count(due, (s) => s.followUp.visitOutcome === 'met');
    return { due: due.length, met, rate: ratio(met, due.length) };
  };
  const surveys = discharged.filter((s) => s.satisfactionSurvey);
  const answered = surveys.filter((s) => s.satisfactionSurvey.status === 'answered' && s.satisfactionSurvey.answers);
  const topBox = (item: string) => {
    const answers = answered.map((s) => s.satisfactionSurvey.answers[item]).filter((a) => a !== undefined) as number[];
    const top = count(answers, (a) => (item === 'overall-rating' ? a >= 9 : a === 4));
    return { answered: answers.length, topBox: top, rate: ratio(top, answers.length) };
  };
  // Records of a stay count under the stay's facility and unit.
  const ofStays = (type: string, at: (r: Row) => string) =>
    rows.filter((r) => r.entityType === type && byId.has(r.encounterId) && onUnit(byId.get(r.encounterId)!.unit) && inPeriod(at(r)));
  const referrals = ofStays('Referral', (r) => r.sentAt);
  const accepted = referrals.filter((r) => r.status === 'accepted' && r.answeredAt);
  const acceptMinutes = accepted.map((r) => minutesBetween(r.sentAt, r.answeredAt));
  const grievances = ofStays('Grievance', (g) => g.receivedAt);
  const resolutionMinutes = grievances.filter((g) => g.decision).map((g) => minutesBetween(g.receivedAt, g.decision.completedAt));
  const flags = ofStays('DuplicateOrderFlag', (f) => f.at);
  const overdue = ofStays('CareTask', (t) => t.dueAt).filter((t) => t.escalatedAt);
  const resolutionMedian = median(resolutionMinutes);

  return {
    facilityId: FACILITY,
    unit: unit ?? null,
    from,
    to,
    readmissions: {
      discharges: eligible.length,
      readmittedWithin30Days: readmitted.length,
      rate: ratio(readmitted.length, eligible.length),
    },
    lengthOfStay: {
      discharges: discharged.length,
      averageDays: discharged.length ? Math.round((lengths.reduce((a, b) => a + b, 0) / discharged.length) * 100) / 100 : null,
      medianDays: median(lengths),
    },
    dischargesBeforeNoon: {
      discharges: discharged.length,
      beforeNoon: count(discharged, (s) => localHour(s.discharge.dischargedAt) < 12),
      rate: ratio(
        count(discharged, (s) => localHour(s.discharge.dischargedAt) < 12),
        discharged.length,
      ),
    },
    dischargePlanningEvaluation: {
      admissions: admitted.length,
      within24Hours: count(admitted, evaluatedInTime),
      rate: ratio(count(admitted, evaluatedInTime), admitted.length),
    },
    tcmContact: {
      due: contacts.length,
      reached: count(contacts, (s) => s.followUp.contactOutcome === 'met'),
      twoAttemptsDocumented: count(contacts, (s) => s.followUp.contactOutcome === 'attempted'),
      rate: ratio(
        count(contacts, (s) => s.followUp.contactOutcome !== 'missed'),
        contacts.length,
      ),
    },
    followUpVisit: { within7Days: visits(7), within14Days: visits(14) },
    referrals: {
      sent: referrals.length,
      answered: count(referrals, (r) => r.status === 'accepted' || r.status === 'declined'),
      accepted: accepted.length,
      acceptanceRate: ratio(
        accepted.length,
        count(referrals, (r) => r.status === 'accepted' || r.status === 'declined'),
      ),
      averageMinutesToAcceptance: accepted.length
        ? Math.round((acceptMinutes.reduce((a, b) => a + b, 0) / accepted.length) * 10) / 10
        : null,
      medianMinutesToAcceptance: median(acceptMinutes),
    },
    duplicateOrders: {
      flagged: flags.length,
      overridden: count(flags, (f) => f.overriddenByOrderId),
      avoided: count(flags, (f) => !f.overriddenByOrderId),
    },
    grievances: {
      received: grievances.length,
      acknowledgementsDue: count(grievances, (g) => g.acknowledgedOnTime !== undefined),
      acknowledgedOnTime: count(grievances, (g) => g.acknowledgedOnTime === true),
      acknowledgedOnTimeRate: ratio(
        count(grievances, (g) => g.acknowledgedOnTime === true),
        count(grievances, (g) => g.acknowledgedOnTime !== undefined),
      ),
      resolutionsDue: count(grievances, (g) => g.resolvedOnTime !== undefined),
      resolved: count(grievances, (g) => g.decision),
      resolvedOnTime: count(grievances, (g) => g.resolvedOnTime === true),
      resolvedOnTimeRate: ratio(
        count(grievances, (g) => g.resolvedOnTime === true),
        count(grievances, (g) => g.resolvedOnTime !== undefined),
      ),
      medianResolutionHours: resolutionMedian === null ? null : Math.round((resolutionMedian / 60) * 100) / 100,
    },
    satisfaction: {
      surveysSent: surveys.length,
      surveysAnswered: answered.length,
      topBox: Object.fromEntries(
        [
          'nurses-listened',
          'doctors-explained',
          'help-when-needed',
          'medicines-explained',
          'care-transition-understood',
          'would-recommend',
          'overall-rating',
        ].map((item) => [item, topBox(item)]),
      ),
    },
    overdueTasks: overdue.length,
  };
}

const metrics = async (query: string) => (await client.call('GET', `/v1/metrics?from=${from}&to=${to}${query}`)).body;

describe('service metrics over a seeded month', () => {
  beforeAll(async () => {
    client = httpClient(localStack().httpUrl, await mintLocalToken({ facilityId: FACILITY, clientId: 'metrics-test' }));
    const seeded = await seedMonth(client, { units: UNITS, from, days: 30, encounters: 500, seed: 424242 });
    expect(seeded.stays).toBeGreaterThan(500);
  }, 900_000);

  it('agree with a recomputation from the raw records, for the facility and for each unit', async () => {
    // The counters follow the change stream: wait until they have caught up with the records
    // (then compare once more, so a disagreement shows as a diff).
    let expected: Array<ReturnType<typeof recompute>> = [];
    let actual: unknown[] = [];
    for (const until = Date.now() + 120_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 2_000))) {
      const rows = await everything();
      expected = [recompute(rows), ...UNITS.map((unit) => recompute(rows, unit))];
      actual = [await metrics(''), ...(await Promise.all(UNITS.map((unit) => metrics(`&unit=${unit}`))))];
      if (isDeepStrictEqual(actual, expected)) break;
    }
    expect(actual).toEqual(expected);
    // The month is varied enough that each figure is a real test, not 0 = 0.
    const all = expected[0]!;
    expect(all.lengthOfStay.discharges).toBeGreaterThan(200);
    expect(all.readmissions.readmittedWithin30Days).toBeGreaterThan(5);
    expect(all.dischargesBeforeNoon.beforeNoon).toBeGreaterThan(0);
    expect(all.dischargePlanningEvaluation.within24Hours).toBeGreaterThan(0);
    expect(all.dischargePlanningEvaluation.within24Hours).toBeLessThan(all.dischargePlanningEvaluation.admissions);
    expect(all.tcmContact.due).toBeGreaterThan(0);
    expect(all.referrals.accepted).toBeGreaterThan(0);
    expect(all.referrals.answered).toBeGreaterThan(all.referrals.accepted);
    expect(all.duplicateOrders.avoided).toBeGreaterThan(0);
    expect(all.duplicateOrders.overridden).toBeGreaterThan(0);
    expect(all.grievances.resolved).toBeGreaterThan(0);
    expect(all.satisfaction.surveysAnswered).toBeGreaterThan(0);
    expect(all.overdueTasks).toBeGreaterThan(0);
  }, 180_000);

  it('answers another facility like one that does not exist, and says what is wrong with a bad period', async () => {
    expect((await metrics(`&facility=F1`)).error).toBe('NotFound');
    const backwards = await client.call('GET', `/v1/metrics?from=${to}&to=${from}`);
    expect(backwards).toMatchObject({ status: 400, body: { issues: [{ field: 'query.from', reason: 'must not be after to' }] } });
    const tooLong = await client.call('GET', '/v1/metrics?from=2025-01-01&to=2026-06-30');
    expect(tooLong.body.issues).toEqual([{ field: 'query.to', reason: 'the period is at most 366 days' }]);
    // F1's client sees F1's figures only.
    expect((await api('GET', `/v1/metrics?from=${from}&to=${to}`)).body.facilityId).toBe('F1');
  });
});
