import { describe, expect, it } from 'vitest';
import type { Encounter } from '../../shared/domain/encounter';
import {
  contributionOfDuplicateFlag,
  contributionOfEncounter,
  contributionOfGrievance,
  contributionOfReferral,
  difference,
  lengthOfStayDays,
  localTime,
  medianOfHistogram,
  metricsFromTotals,
  sumTallies,
} from '../../shared/domain/metrics';
import type { Grievance } from '../../shared/domain/grievances';
import type { Referral } from '../../shared/domain/referrals';

const NY = 'America/New_York';

const stay = (overrides: Partial<Encounter> = {}): Encounter =>
  ({
    encounterId: 'e1',
    facilityId: 'F1',
    patientId: 'p1',
    unit: '4W',
    class: 'inpatient',
    admissionType: 'emergency',
    admittedAt: '2026-10-05T14:00:00.000Z',
    status: 'admitted',
    version: 1,
    createdAt: '2026-10-05T14:00:00.000Z',
    updatedAt: '2026-10-05T14:00:00.000Z',
    ...overrides,
  }) as Encounter;

const discharged = (overrides: Partial<Encounter> = {}) =>
  stay({ status: 'discharged', discharge: { disposition: 'home', dischargedAt: '2026-10-08T15:30:00.000Z' }, ...overrides });

describe('service metrics: what a record contributes', () => {
  it('reads days and hours in the facility’s time zone, across a daylight-saving change', () => {
    expect(localTime('2026-10-08T15:30:00.000Z', NY)).toEqual({ day: '2026-10-08', hour: 11 });
    expect(localTime('2026-10-09T03:30:00.000Z', NY)).toEqual({ day: '2026-10-08', hour: 23 });
    // 1 Nov 2026: clocks go back at 02:00 EDT, so 16:00Z is 11:00 EST.
    expect(localTime('2026-11-01T16:00:00.000Z', NY)).toEqual({ day: '2026-11-01', hour: 11 });
    expect(localTime('2026-11-01T16:00:00.000Z')).toEqual({ day: '2026-11-01', hour: 16 });
    expect(lengthOfStayDays('2026-10-05T14:00:00.000Z', '2026-10-08T15:30:00.000Z', NY)).toBe(3);
    expect(lengthOfStayDays('2026-10-05T14:00:00.000Z', '2026-10-05T20:00:00.000Z', NY)).toBe(0);
  });

  it('counts an admission and whether it was evaluated within 24 hours, on the unit and the all-units day', () => {
    const evaluated = stay({ needsAssessment: { assessedAt: '2026-10-06T13:59:00.000Z' } as Encounter['needsAssessment'] });
    expect(contributionOfEncounter(evaluated, NY)).toEqual({
      'F1|4W|2026-10-05': { admissions: 1, evaluatedWithin24h: 1 },
      'F1|*|2026-10-05': { admissions: 1, evaluatedWithin24h: 1 },
    });
    const late = stay({ needsAssessment: { assessedAt: '2026-10-06T14:01:00.000Z' } as Encounter['needsAssessment'] });
    expect(contributionOfEncounter(late, NY)['F1|4W|2026-10-05']).toEqual({ admissions: 1 });
  });

  it('counts a discharge on its local day: length of stay, before noon, follow-up, survey', () => {
    const encounter = discharged({
      followUp: { complexity: 'high', contactOutcome: 'attempted', visitOutcome: 'met' } as Encounter['followUp'],
      satisfactionSurvey: {
        surveyId: 's',
        sentAt: '2026-10-10T00:00:00.000Z',
        status: 'answered',
        answers: { 'overall-rating': 9, 'nurses-listened': 3 },
      },
    });
    expect(contributionOfEncounter(encounter, NY)['F1|4W|2026-10-08']).toEqual({
      discharges: 1,
      losDays: 3,
      'los:3': 1,
      dischargedBeforeNoon: 1,
      readmissionEligible: 1,
      tcmContactsDue: 1,
      tcmContactsAttempted: 1,
      visitsDue7: 1,
      visitsMet7: 1,
      surveysSent: 1,
      surveysAnswered: 1,
      'answered:overall-rating': 1,
      'topBox:overall-rating': 1,
      'answered:nurses-listened': 1,
    });
    // A death cannot be followed by a readmission; it is still a discharge.
    expect(
      contributionOfEncounter(discharged({ discharge: { disposition: 'expired', dischargedAt: '2026-10-08T15:30:00.000Z' } }), NY)[
        'F1|4W|2026-10-08'
      ],
    ).not.toHaveProperty('readmissionEligible');
  });

  it('counts an unplanned readmission on the index discharge’s day and unit; not a planned one, nor a cancelled stay', () => {
    const readmission = {
      indexEncounterId: 'e0',
      indexDischargedAt: '2026-09-30T12:00:00.000Z',
      indexUnit: '5E',
      daysSinceDischarge: 5,
      planned: false,
    };
    expect(contributionOfEncounter(stay({ readmission }), NY)).toMatchObject({
      'F1|5E|2026-09-30': { readmissions30: 1 },
      'F1|*|2026-09-30': { readmissions30: 1 },
    });
    expect(contributionOfEncounter(stay({ readmission: { ...readmission, planned: true } }), NY)).not.toHaveProperty(['F1|5E|2026-09-30']);
    expect(contributionOfEncounter(stay({ status: 'cancelled', readmission }), NY)).toEqual({});
  });

  it('moves counts when a fact changes: a discharge cancelled by A13 takes its discharge back', () => {
    const before = contributionOfEncounter(discharged(), NY);
    const after = contributionOfEncounter(stay({ reopenedAt: '2026-10-08T16:00:00.000Z' }), NY);
    expect(difference(after, before)).toEqual({
      'F1|4W|2026-10-08': { discharges: -1, losDays: -3, 'los:3': -1, dischargedBeforeNoon: -1, readmissionEligible: -1 },
      'F1|*|2026-10-08': { discharges: -1, losDays: -3, 'los:3': -1, dischargedBeforeNoon: -1, readmissionEligible: -1 },
    });
    expect(difference(before, before)).toEqual({});
  });

  it('counts referrals, grievances and duplicate orders under their stay’s unit', () => {
    const place = { facilityId: 'F1', unit: 'ICU' };
    const referral = { status: 'accepted', sentAt: '2026-10-06T12:00:00.000Z', answeredAt: '2026-10-06T13:30:59.000Z' } as Referral;
    expect(contributionOfReferral(referral, place, NY)['F1|ICU|2026-10-06']).toEqual({
      referralsSent: 1,
      referralsAnswered: 1,
      referralsAccepted: 1,
      acceptanceMinutes: 90,
      'acceptMin:90': 1,
    });
    const grievance = {
      receivedAt: '2026-10-06T12:00:00.000Z',
      acknowledgedOnTime: true,
      resolvedOnTime: false,
      decision: { completedAt: '2026-11-10T12:00:00.000Z' },
    } as Grievance;
    expect(contributionOfGrievance(grievance, place, NY)['F1|ICU|2026-10-06']).toEqual({
      grievances: 1,
      grievanceAcknowledgementsDue: 1,
      grievancesAcknowledgedOnTime: 1,
      grievanceResolutionsDue: 1,
      grievancesResolved: 1,
      'resolveMin:50400': 1,
    });
    expect(
      contributionOfDuplicateFlag({ at: '2026-10-06T12:00:00.000Z', overriddenByOrderId: 'o2' }, place, NY)['F1|ICU|2026-10-06'],
    ).toEqual({
      duplicateOrdersFlagged: 1,
      duplicateOrdersOverridden: 1,
    });
  });
});

describe('service metrics: reading a period', () => {
  it('takes the median of a histogram, the mean of the middle two for an even count', () => {
    expect(
      medianOfHistogram(
        new Map([
          [1, 1],
          [2, 1],
          [9, 1],
        ]),
      ),
    ).toBe(2);
    expect(
      medianOfHistogram(
        new Map([
          [1, 2],
          [4, 2],
        ]),
      ),
    ).toBe(2.5);
    expect(medianOfHistogram(new Map([[3, 0]]))).toBeNull();
  });

  it('turns summed counters into rates, and leaves a rate with nothing to count empty', () => {
    const totals = sumTallies([
      { discharges: 2, losDays: 5, 'los:2': 1, 'los:3': 1, dischargedBeforeNoon: 1, readmissionEligible: 2, readmissions30: 1 },
      { discharges: 1, losDays: 10, 'los:10': 1, readmissionEligible: 1 },
    ]);
    const metrics = metricsFromTotals(totals);
    expect(metrics.lengthOfStay).toEqual({ discharges: 3, averageDays: 5, medianDays: 3 });
    expect(metrics.readmissions).toEqual({ discharges: 3, readmittedWithin30Days: 1, rate: 0.3333 });
    expect(metrics.dischargesBeforeNoon.rate).toBe(0.3333);
    expect(metrics.referrals).toMatchObject({ sent: 0, acceptanceRate: null, medianMinutesToAcceptance: null });
    expect(metrics.grievances.medianResolutionHours).toBeNull();
  });
});
