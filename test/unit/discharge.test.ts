import { describe, expect, it } from 'vitest';
import { recordDischarge } from '../../shared/domain/discharge';
import { proposeDischargePlan, type AssessedNeed } from '../../shared/domain/discharge-plan';
import { ValidationError } from '../../shared/domain/errors';

describe('proposeDischargePlan', () => {
  it.each<[AssessedNeed[], string, AssessedNeed[]]>([
    [[], 'home', []],
    [['durable-medical-equipment'], 'home-with-services', ['durable-medical-equipment']],
    [['home-health', 'meals'], 'home-health', ['meals']],
    [['home-health', 'skilled-nursing'], 'skilled-nursing', []],
    [['inpatient-rehab', 'transportation'], 'inpatient-rehab', ['transportation']],
    [['skilled-nursing', 'hospice'], 'hospice', []],
    [['long-term-acute-care'], 'long-term-care-hospital', []],
  ])('needs %j → %s with services %j', (needs, path, services) => {
    expect(proposeDischargePlan(needs)).toEqual({ path, services });
  });
});

describe('proposeDischargePlan with a comfort-focused goal of care', () => {
  it('proposes hospice whatever the needs, keeping the services around it', () => {
    expect(proposeDischargePlan(['skilled-nursing', 'meals'], { comfortFocused: true })).toEqual({ path: 'hospice', services: ['meals'] });
    expect(proposeDischargePlan([], { comfortFocused: true })).toEqual({ path: 'hospice', services: [] });
  });
});

describe('recordDischarge', () => {
  const encounter = { admittedAt: '2026-11-20T08:00:00.000Z' };
  const now = new Date('2026-11-23T10:00:00Z');

  it('discharges home now when the order says nothing and there is no plan', () => {
    expect(recordDischarge(encounter, {}, now)).toEqual({ disposition: 'home', dischargedAt: now.toISOString() });
  });

  it("takes the plan's path unless the physician orders another", () => {
    const planned = { ...encounter, dischargePlan: { path: 'home-health' as const, services: [], decidedAt: '' } };
    expect(recordDischarge(planned, {}, now).disposition).toBe('home-health');
    expect(recordDischarge(planned, { disposition: 'skilled-nursing', orderedBy: 'Dr Synthetic' }, now)).toEqual({
      disposition: 'skilled-nursing',
      dischargedAt: now.toISOString(),
      orderedBy: 'Dr Synthetic',
    });
  });

  it('refuses a discharge time before the admission', () => {
    expect(() => recordDischarge(encounter, { dischargeAt: '2026-11-19T08:00:00Z' }, now)).toThrow(ValidationError);
  });
});
