import { localDateAndHour } from './clock';
import { lengthOfStayDays } from './length-of-stay';
import type { CareTask } from './tasks';
import type { Encounter } from './encounter';
import type { Grievance } from './grievances';
import type { Referral } from './referrals';
import { isTopBox, SURVEY_ITEM_IDS, type SurveyItem } from './satisfaction';

/**
 * Service metrics, kept as counters per facility, unit and local day. Each stored record
 * (a stay, a referral, a grievance, a task, a refused duplicate order) *contributes* counts to
 * the days its facts fall on; when the record changes, the difference between its new and its
 * last counted contribution is applied. So a fact that changes (a discharge cancelled by A13, a
 * stay moved to another unit) moves its counts, and counting the same version twice adds nothing.
 * Reading a period sums its days: no scan of the records themselves.
 */

/** The stored record types that contribute to the metrics (the change stream's filter names them). */
export const COUNTED_ENTITY_TYPES = ['Encounter', 'Referral', 'Grievance', 'CareTask', 'DuplicateOrderFlag'] as const;
export type CountedEntityType = (typeof COUNTED_ENTITY_TYPES)[number];

/** The bucket that sums every unit of a facility. */
export const ALL_UNITS = '*';

/** Counter name → amount. Histograms are counters named `<histogram>:<value>`. */
export type Tally = Record<string, number>;

export interface Bucket {
  facilityId: string;
  unit: string;
  /** The facility's local date, YYYY-MM-DD. */
  day: string;
}

/** Counts per bucket, keyed `facility|unit|day`. */
export type Contribution = Record<string, Tally>;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export const bucketKey = (bucket: Bucket) => `${bucket.facilityId}|${bucket.unit}|${bucket.day}`;
export function bucketOfKey(key: string): Bucket {
  const [facilityId = '', unit = '', day = ''] = key.split('|');
  return { facilityId, unit, day };
}

/** A facility's local date and hour of an instant (IANA time zone; UTC when none is configured). */
export const localTime = (iso: string, timeZone = 'UTC'): { day: string; hour: number } => localDateAndHour(iso, timeZone);

/** The one length-of-stay definition (midnights, local dates), re-exported for the metrics' readers. */
export { lengthOfStayDays };

/**
 * Discharges that can be followed by a 30-day readmission: not a death, not a transfer to another
 * acute hospital, not against medical advice (the CMS readmission measures exclude these).
 */
export const countsForReadmission = (disposition: string) =>
  !['expired', 'another-hospital', 'left-against-medical-advice'].includes(disposition);

/** The earliest discharge-planning evaluation on record: the care manager's needs assessment. */
function evaluatedAt(encounter: Encounter): string | undefined {
  return [encounter.needsAssessment?.assessedAt, encounter.assessment?.recordedAt].filter((at): at is string => !!at).sort()[0];
}

class ContributionBuilder {
  readonly counts: Contribution = {};
  constructor(
    private readonly facilityId: string,
    private readonly timeZone: string | undefined,
  ) {}

  /** Adds to the unit's day and to the facility's all-units day. */
  add(unit: string, at: string, tally: Tally): this {
    const { day } = localTime(at, this.timeZone);
    for (const u of new Set([unit, ALL_UNITS])) {
      const key = bucketKey({ facilityId: this.facilityId, unit: u, day });
      const into = (this.counts[key] ??= {});
      for (const [name, by] of Object.entries(tally)) if (by !== 0) into[name] = (into[name] ?? 0) + by;
    }
    return this;
  }
}

/** What a stay counts: its admission, its discharge (with follow-up and survey), a readmission it is. */
export function contributionOfEncounter(encounter: Encounter, timeZone?: string): Contribution {
  const out = new ContributionBuilder(encounter.facilityId, timeZone);
  if (encounter.status === 'cancelled') return out.counts;
  const evaluated = evaluatedAt(encounter);
  out.add(encounter.unit, encounter.admittedAt, {
    admissions: 1,
    evaluatedWithin24h: evaluated && Date.parse(evaluated) - Date.parse(encounter.admittedAt) <= 24 * HOUR_MS ? 1 : 0,
  });
  const { discharge, followUp, satisfactionSurvey: survey, readmission } = encounter;
  if (encounter.status === 'discharged' && discharge) {
    const los = lengthOfStayDays(encounter.admittedAt, discharge.dischargedAt, timeZone ?? 'UTC');
    const tally: Tally = {
      discharges: 1,
      losDays: los,
      [`los:${los}`]: 1,
      dischargedBeforeNoon: localTime(discharge.dischargedAt, timeZone).hour < 12 ? 1 : 0,
      readmissionEligible: countsForReadmission(discharge.disposition) ? 1 : 0,
    };
    if (followUp?.contactOutcome) {
      tally.tcmContactsDue = 1;
      tally.tcmContactsMet = followUp.contactOutcome === 'met' ? 1 : 0;
      tally.tcmContactsAttempted = followUp.contactOutcome === 'attempted' ? 1 : 0;
    }
    if (followUp?.visitOutcome) {
      const within = followUp.complexity === 'high' ? 7 : 14;
      tally[`visitsDue${within}`] = 1;
      tally[`visitsMet${within}`] = followUp.visitOutcome === 'met' ? 1 : 0;
    }
    // A survey withdrawn after a death was never a request for an answer (HCAHPS: ineligible).
    if (survey && survey.status !== 'withdrawn') {
      tally.surveysSent = 1;
      if (survey.status === 'answered' && survey.answers) {
        tally.surveysAnswered = 1;
        for (const [item, answer] of Object.entries(survey.answers) as Array<[SurveyItem, number]>) {
          tally[`answered:${item}`] = 1;
          tally[`topBox:${item}`] = isTopBox(item, answer) ? 1 : 0;
        }
      }
    }
    out.add(encounter.unit, discharge.dischargedAt, tally);
  }
  // Counted on the day of the discharge it follows, so a period's rate reads "of the discharges
  // in this period, how many came back within 30 days". Planned readmissions are not counted.
  if (readmission && !readmission.planned) {
    out.add(readmission.indexUnit ?? encounter.unit, readmission.indexDischargedAt, { readmissions30: 1 });
  }
  return out.counts;
}

/** The stay a per-stay record belongs to, as its metrics count it. */
export interface StayPlace {
  facilityId: string;
  unit: string;
}

export function contributionOfReferral(referral: Referral, stay: StayPlace, timeZone?: string): Contribution {
  const out = new ContributionBuilder(stay.facilityId, timeZone);
  const answered = referral.status === 'accepted' || referral.status === 'declined';
  const tally: Tally = { referralsSent: 1, referralsAnswered: answered ? 1 : 0 };
  if (referral.status === 'accepted' && referral.answeredAt) {
    const minutes = Math.max(0, Math.floor((Date.parse(referral.answeredAt) - Date.parse(referral.sentAt)) / MINUTE_MS));
    Object.assign(tally, { referralsAccepted: 1, acceptanceMinutes: minutes, [`acceptMin:${minutes}`]: 1 });
  }
  return out.add(stay.unit, referral.sentAt, tally).counts;
}

export function contributionOfGrievance(grievance: Grievance, stay: StayPlace, timeZone?: string): Contribution {
  const out = new ContributionBuilder(stay.facilityId, timeZone);
  // On time or not is judged by the grievance itself, when the answer comes or the deadline passes.
  const judged = (onTime: boolean | undefined) => ({ judged: onTime === undefined ? 0 : 1, onTime: onTime ? 1 : 0 });
  const acknowledgement = judged(grievance.acknowledgedOnTime);
  const resolution = judged(grievance.resolvedOnTime);
  const tally: Tally = {
    grievances: 1,
    grievanceAcknowledgementsDue: acknowledgement.judged,
    grievancesAcknowledgedOnTime: acknowledgement.onTime,
    grievanceResolutionsDue: resolution.judged,
    grievancesResolvedOnTime: resolution.onTime,
  };
  if (grievance.decision) {
    const minutes = Math.max(0, Math.floor((Date.parse(grievance.decision.completedAt) - Date.parse(grievance.receivedAt)) / MINUTE_MS));
    Object.assign(tally, { grievancesResolved: 1, [`resolveMin:${minutes}`]: 1 });
  }
  return out.add(stay.unit, grievance.receivedAt, tally).counts;
}

/** A task counts once it went past its due time (the sweep stamped `escalatedAt`), on its due day. */
export function contributionOfTask(task: Pick<CareTask, 'dueAt' | 'escalatedAt'>, stay: StayPlace, timeZone?: string): Contribution {
  const out = new ContributionBuilder(stay.facilityId, timeZone);
  return task.escalatedAt ? out.add(stay.unit, task.dueAt, { tasksOverdue: 1 }).counts : out.counts;
}

/** A refused duplicate order (one per placer order number), and whether it was placed anyway with a reason. */
export function contributionOfDuplicateFlag(
  flag: { at: string; overriddenByOrderId?: string },
  stay: StayPlace,
  timeZone?: string,
): Contribution {
  const out = new ContributionBuilder(stay.facilityId, timeZone);
  return out.add(stay.unit, flag.at, { duplicateOrdersFlagged: 1, duplicateOrdersOverridden: flag.overriddenByOrderId ? 1 : 0 }).counts;
}

/** What to add to each bucket to go from the last counted contribution to the new one (zeros dropped). */
export function difference(next: Contribution, last: Contribution): Contribution {
  const out: Contribution = {};
  for (const key of new Set([...Object.keys(next), ...Object.keys(last)])) {
    const [a = {}, b = {}] = [next[key], last[key]];
    for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const by = (a[name] ?? 0) - (b[name] ?? 0);
      if (by !== 0) (out[key] ??= {})[name] = by;
    }
  }
  return out;
}

// ---- Reading a period ----

const rate = (numerator: number, denominator: number) => (denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null);
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/** Median of a histogram (value → count); the mean of the two middle values for an even count. */
export function medianOfHistogram(histogram: ReadonlyMap<number, number>): number | null {
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const sorted = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const at = (index: number) => {
    let seen = 0;
    for (const [value, n] of sorted) if ((seen += n) > index) return value;
    return sorted[sorted.length - 1]![0];
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

function histogram(totals: Tally, name: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const [counter, n] of Object.entries(totals)) if (counter.startsWith(`${name}:`)) out.set(Number(counter.slice(name.length + 1)), n);
  return out;
}

/** The metrics of a period, from the summed counters of its days. */
export function metricsFromTotals(totals: Tally) {
  const n = (name: string) => totals[name] ?? 0;
  const visits = (within: 7 | 14) => ({
    due: n(`visitsDue${within}`),
    met: n(`visitsMet${within}`),
    rate: rate(n(`visitsMet${within}`), n(`visitsDue${within}`)),
  });
  const resolutionMinutes = medianOfHistogram(histogram(totals, 'resolveMin'));
  return {
    readmissions: {
      discharges: n('readmissionEligible'),
      readmittedWithin30Days: n('readmissions30'),
      rate: rate(n('readmissions30'), n('readmissionEligible')),
    },
    lengthOfStay: {
      discharges: n('discharges'),
      averageDays: n('discharges') > 0 ? round(n('losDays') / n('discharges')) : null,
      medianDays: medianOfHistogram(histogram(totals, 'los')),
    },
    dischargesBeforeNoon: {
      discharges: n('discharges'),
      beforeNoon: n('dischargedBeforeNoon'),
      rate: rate(n('dischargedBeforeNoon'), n('discharges')),
    },
    dischargePlanningEvaluation: {
      admissions: n('admissions'),
      within24Hours: n('evaluatedWithin24h'),
      rate: rate(n('evaluatedWithin24h'), n('admissions')),
    },
    tcmContact: {
      due: n('tcmContactsDue'),
      reached: n('tcmContactsMet'),
      twoAttemptsDocumented: n('tcmContactsAttempted'),
      // CMS counts two documented, unsuccessful attempts in time as meeting the requirement.
      rate: rate(n('tcmContactsMet') + n('tcmContactsAttempted'), n('tcmContactsDue')),
    },
    followUpVisit: { within7Days: visits(7), within14Days: visits(14) },
    referrals: {
      sent: n('referralsSent'),
      answered: n('referralsAnswered'),
      accepted: n('referralsAccepted'),
      acceptanceRate: rate(n('referralsAccepted'), n('referralsAnswered')),
      averageMinutesToAcceptance: n('referralsAccepted') > 0 ? round(n('acceptanceMinutes') / n('referralsAccepted'), 1) : null,
      medianMinutesToAcceptance: medianOfHistogram(histogram(totals, 'acceptMin')),
    },
    duplicateOrders: {
      flagged: n('duplicateOrdersFlagged'),
      overridden: n('duplicateOrdersOverridden'),
      avoided: n('duplicateOrdersFlagged') - n('duplicateOrdersOverridden'),
    },
    grievances: {
      received: n('grievances'),
      acknowledgementsDue: n('grievanceAcknowledgementsDue'),
      acknowledgedOnTime: n('grievancesAcknowledgedOnTime'),
      acknowledgedOnTimeRate: rate(n('grievancesAcknowledgedOnTime'), n('grievanceAcknowledgementsDue')),
      resolutionsDue: n('grievanceResolutionsDue'),
      resolved: n('grievancesResolved'),
      resolvedOnTime: n('grievancesResolvedOnTime'),
      resolvedOnTimeRate: rate(n('grievancesResolvedOnTime'), n('grievanceResolutionsDue')),
      medianResolutionHours: resolutionMinutes === null ? null : round(resolutionMinutes / 60),
    },
    satisfaction: {
      surveysSent: n('surveysSent'),
      surveysAnswered: n('surveysAnswered'),
      topBox: Object.fromEntries(
        SURVEY_ITEM_IDS.map((item) => [
          item,
          { answered: n(`answered:${item}`), topBox: n(`topBox:${item}`), rate: rate(n(`topBox:${item}`), n(`answered:${item}`)) },
        ]),
      ),
    },
    overdueTasks: n('tasksOverdue'),
  };
}
export type ServiceMetrics = ReturnType<typeof metricsFromTotals>;

/** Sums the counters of a period's days. */
export function sumTallies(tallies: Iterable<Tally>): Tally {
  const out: Tally = {};
  for (const tally of tallies) for (const [name, n] of Object.entries(tally)) out[name] = (out[name] ?? 0) + n;
  return out;
}
