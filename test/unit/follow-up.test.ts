import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors';
import {
  addContactAttempt,
  complexityOf,
  judgeContact,
  judgeVisit,
  planFollowUp,
  qualifiesForTcm,
  readmissionWithin,
  recordVisit,
  visitOf,
  type ContactAttempt,
  type FollowUp,
} from '../../shared/domain/follow-up';

const attempt = (at: string, reached: boolean, id = at): ContactAttempt => ({
  attemptId: id,
  at,
  method: 'phone',
  reached,
  by: 'cm-synthetic',
});
const followUp = (over: Partial<FollowUp> = {}): FollowUp => ({
  ...planFollowUp({ dischargedAt: '2026-09-04T16:00:00.000Z' }, 'moderate', [], 'UTC'),
  executionName: 'post-discharge-follow-up-e-1',
  status: 'open',
  contactTaskId: 't1',
  visitTaskId: 't2',
  attempts: [],
  ...over,
});

describe('planFollowUp', () => {
  it('skips the weekend and Labor Day for the contact; 14 calendar days for the visit; 30-day window', () => {
    expect(planFollowUp({ dischargedAt: '2026-09-04T16:00:00.000Z' }, 'moderate', [], 'UTC')).toEqual({
      complexity: 'moderate',
      contactDueBy: '2026-09-09T23:59:59.999Z',
      visitDueBy: '2026-09-18T23:59:59.999Z',
      windowClosesAt: '2026-10-03T23:59:59.999Z',
    });
  });

  it('gives high complexity 7 days for the visit', () => {
    expect(planFollowUp({ dischargedAt: '2026-09-04T16:00:00.000Z' }, 'high', [], 'UTC').visitDueBy).toBe('2026-09-11T23:59:59.999Z');
  });

  it("adds the facility's own holidays to the federal ones", () => {
    // Discharged Wednesday before Thanksgiving 2026: Thursday is federal, Friday the facility's.
    expect(planFollowUp({ dischargedAt: '2026-11-25T10:00:00.000Z' }, 'moderate', [], 'UTC').contactDueBy).toBe('2026-11-30T23:59:59.999Z');
    expect(planFollowUp({ dischargedAt: '2026-11-25T10:00:00.000Z' }, 'moderate', ['2026-11-27'], 'UTC').contactDueBy).toBe(
      '2026-12-01T23:59:59.999Z',
    );
  });
});

describe("follow-up deadlines on the facility's local days", () => {
  it('counts from the local discharge day and ends each deadline at a local midnight, across spring-forward', () => {
    // Denver, Friday 12 March 2027 21:00 MST (Saturday 04:00 UTC); clocks go forward on the 14th.
    expect(planFollowUp({ dischargedAt: '2027-03-13T04:00:00.000Z' }, 'moderate', [], 'America/Denver')).toEqual({
      complexity: 'moderate',
      contactDueBy: '2027-03-17T05:59:59.999Z',
      visitDueBy: '2027-03-27T05:59:59.999Z',
      windowClosesAt: '2027-04-11T05:59:59.999Z',
    });
  });

  it('compares the reconciliation and visit dates as local dates', () => {
    // Sydney: seen 7 Oct 10:30 AEDT, reconciled the same local day at 23:00 AEDT (UTC dates 6 and 7 Oct).
    const visit = { seenAt: '2026-10-06T23:30:00.000Z', practitionerId: 'p', medicationsReconciledAt: '2026-10-07T12:00:00.000Z' };
    expect(judgeVisit(visit, '2026-10-20T12:59:59.999Z', 'Australia/Sydney').medicationsReconciledByVisit).toBe(true);
    expect(judgeVisit(visit, '2026-10-20T12:59:59.999Z', 'America/New_York').medicationsReconciledByVisit).toBe(false);
  });
});

describe('judging the deadlines', () => {
  const due = '2026-09-09T23:59:59.999Z';
  it('contact: reached in time is met; two failed attempts in time are attempted; one, or any late, is missed', () => {
    expect(judgeContact([attempt('2026-09-08T10:00:00.000Z', true)], due)).toBe('met');
    expect(judgeContact([attempt('2026-09-08T10:00:00.000Z', false), attempt('2026-09-09T15:00:00.000Z', false)], due)).toBe('attempted');
    expect(judgeContact([attempt('2026-09-08T10:00:00.000Z', false)], due)).toBe('missed');
    expect(judgeContact([attempt('2026-09-10T09:00:00.000Z', true)], due)).toBe('missed');
    expect(judgeContact([], due)).toBe('missed');
  });

  it('visit: on or before its deadline, with medications reconciled no later than the visit day', () => {
    const visitDue = '2026-09-18T23:59:59.999Z';
    expect(
      judgeVisit(
        { seenAt: '2026-09-15T10:00:00.000Z', practitionerId: 'p', medicationsReconciledAt: '2026-09-15T09:00:00.000Z' },
        visitDue,
        'UTC',
      ),
    ).toEqual({
      outcome: 'met',
      medicationsReconciledByVisit: true,
    });
    expect(
      judgeVisit(
        { seenAt: '2026-09-15T10:00:00.000Z', practitionerId: 'p', medicationsReconciledAt: '2026-09-16T09:00:00.000Z' },
        visitDue,
        'UTC',
      ),
    ).toEqual({
      outcome: 'met',
      medicationsReconciledByVisit: false,
    });
    expect(judgeVisit({ seenAt: '2026-09-19T10:00:00.000Z', practitionerId: 'p' }, visitDue, 'UTC').outcome).toBe('missed');
    expect(judgeVisit(undefined, visitDue, 'UTC')).toEqual({ outcome: 'missed', medicationsReconciledByVisit: false });
  });
});

describe('documenting', () => {
  const now = new Date('2026-09-10T12:00:00.000Z');
  const discharged = '2026-09-04T16:00:00.000Z';
  it('keeps attempts in time order, and a resent attempt once', () => {
    const once = addContactAttempt(followUp(), attempt('2026-09-08T10:00:00.000Z', false, 'b'), discharged, now);
    const twice = addContactAttempt(once, attempt('2026-09-07T10:00:00.000Z', false, 'a'), discharged, now);
    expect(
      addContactAttempt(twice, attempt('2026-09-08T10:00:00.000Z', false, 'b'), discharged, now).attempts.map((a) => a.attemptId),
    ).toEqual(['a', 'b']);
  });

  it('refuses attempts and visits before the discharge or in the future, naming the field', () => {
    expect(() => addContactAttempt(followUp(), attempt('2026-09-04T15:00:00.000Z', false), discharged, now)).toThrow(ValidationError);
    expect(() => addContactAttempt(followUp(), attempt('2026-09-11T15:00:00.000Z', false), discharged, now)).toThrow(/future/);
    try {
      recordVisit(
        followUp(),
        { seenAt: '2026-09-12T10:00:00.000Z', practitionerId: 'p', medicationsReconciledAt: '2026-09-01T00:00:00.000Z' },
        discharged,
        now,
      );
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.field)).toEqual(['seenAt', 'medicationsReconciledAt']);
    }
  });
});

describe('who and what', () => {
  it('TCM applies to community discharges, not hospice, another hospital or death', () => {
    expect(['home', 'home-health', 'skilled-nursing', 'left-against-medical-advice'].every((d) => qualifiesForTcm(d as never))).toBe(true);
    expect(['hospice', 'expired', 'other-institution'].some((d) => qualifiesForTcm(d as never))).toBe(false);
  });

  it('high readmission risk means high complexity', () => {
    expect([complexityOf('high'), complexityOf('moderate'), complexityOf(undefined)]).toEqual(['high', 'moderate', 'moderate']);
  });

  it('a later admission inside the window is a readmission; a cancelled one or one after it is not', () => {
    const window = { windowClosesAt: '2026-10-03T23:59:59.999Z' };
    const discharged = '2026-09-04T16:00:00.000Z';
    expect(readmissionWithin(window, discharged, [{ encounterId: 'x', admittedAt: '2026-09-16T10:00:00.000Z', status: 'admitted' }])).toBe(
      'x',
    );
    expect(
      readmissionWithin(window, discharged, [{ encounterId: 'x', admittedAt: '2026-09-16T10:00:00.000Z', status: 'cancelled' }]),
    ).toBeUndefined();
    expect(
      readmissionWithin(window, discharged, [{ encounterId: 'x', admittedAt: '2026-10-05T10:00:00.000Z', status: 'admitted' }]),
    ).toBeUndefined();
    expect(
      readmissionWithin(window, discharged, [{ encounterId: 'x', admittedAt: '2026-09-01T10:00:00.000Z', status: 'discharged' }]),
    ).toBeUndefined();
  });
});

describe('a booked visit satisfies the visit deadline', () => {
  const booked = (start: string, status = 'booked', encounterId = 'e') => ({ encounterId, status, start, practitionerId: 'dr-x' });
  it('counts a booked visit of this stay that has taken place; not a cancelled one, another stay, or one still ahead', () => {
    const now = new Date('2026-09-20T00:00:00.000Z');
    expect(visitOf({}, [booked('2026-09-15T14:00:00.000Z')], 'e', now)).toEqual({
      seenAt: '2026-09-15T14:00:00.000Z',
      practitionerId: 'dr-x',
    });
    expect(
      visitOf(
        {},
        [
          booked('2026-09-15T14:00:00.000Z', 'cancelled'),
          booked('2026-09-15T14:00:00.000Z', 'booked', 'other'),
          booked('2026-09-25T14:00:00.000Z'),
        ],
        'e',
        now,
      ),
    ).toBeUndefined();
    const documented = { seenAt: '2026-09-14T10:00:00.000Z', practitionerId: 'dr-y', medicationsReconciledAt: '2026-09-14T09:00:00.000Z' };
    expect(visitOf({ visit: documented }, [booked('2026-09-15T14:00:00.000Z')], 'e', now)).toBe(documented);
    expect(judgeVisit(visitOf({}, [booked('2026-09-15T14:00:00.000Z')], 'e', now), '2026-09-18T23:59:59.999Z', 'UTC').outcome).toBe('met');
  });
});
