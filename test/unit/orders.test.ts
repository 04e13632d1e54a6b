import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS } from '../../shared/domain/clock';
import {
  checkDuplicate,
  CODE_SYSTEMS,
  COMPANIONS,
  DUPLICATE_RULES,
  orderedAtProblem,
  ruleFor,
  type Order,
  type OrderCode,
} from '../../shared/domain/orders';

const loinc = (code: string) => ({ system: CODE_SYSTEMS.loinc, code });
const cpt = (code: string) => ({ system: CODE_SYSTEMS.cpt, code });
const HOUR = 3_600_000;
const at = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR).toISOString();
const earlier = (code: Pick<OrderCode, 'system' | 'code'>, orderedAt: string, orderId = 'o-1'): Order => ({
  orderId,
  facilityId: 'F1',
  patientId: 'p-1',
  encounterId: 'e-1',
  placerOrderNumber: `P-${orderId}`,
  code: code as OrderCode,
  orderingPractitioner: { id: 'dr-a' },
  orderedAt,
});
const T0 = '2026-11-01T08:00:00.000Z';

describe('duplicate-order rules', () => {
  it.each(DUPLICATE_RULES.map((rule) => [rule.label, rule] as const))(
    '%s: a repeat inside the interval is a duplicate, at the interval it is not',
    (_label, rule) => {
      const code = rule.codes[0]! as OrderCode;
      const justInside = new Date(Date.parse(T0) + rule.minIntervalHours * HOUR - 1).toISOString();
      const atInterval = at(T0, rule.minIntervalHours);
      expect(checkDuplicate({ code, orderedAt: justInside }, [earlier(code, T0)])).toMatchObject({
        duplicate: true,
        action: rule.onRepeat,
        rule: { id: rule.id },
        allowedFrom: atInterval,
      });
      expect(checkDuplicate({ code, orderedAt: atInterval }, [earlier(code, T0)])).toEqual({ duplicate: false });
    },
  );

  it('knows each code under one rule only', () => {
    const all = DUPLICATE_RULES.flatMap((rule) => rule.codes.map((c) => `${c.system}|${c.code}`));
    expect(all.length).toBe(new Set(all).size);
    for (const rule of DUPLICATE_RULES)
      for (const contained of rule.contains ?? [])
        expect(
          DUPLICATE_RULES.some((r) => r.id === contained),
          contained,
        ).toBe(true);
  });

  // Companion and reflex tests are ordered together: never one another's duplicate, either way round.
  it.each(COMPANIONS.map((c) => [c.why, c.codes] as const))('%s: not a duplicate', (_why, [a, b]) => {
    expect(checkDuplicate({ code: b as OrderCode, orderedAt: at(T0, 1) }, [earlier(a, T0)])).toEqual({ duplicate: false });
    if (!(a.code === '24320-4' && b.code === '24323-8'))
      expect(checkDuplicate({ code: a as OrderCode, orderedAt: at(T0, 1) }, [earlier(b, T0)])).toEqual({ duplicate: false });
  });

  it.each([
    ['magnesium and phosphate together', loinc('19123-9'), loinc('2777-1'), 0, false],
    ['TSH then free T4 a week later', loinc('3016-3'), loinc('3024-7'), 7 * 24, false],
    ['TSH twice inside 28 days', loinc('3016-3'), loinc('11580-8'), 10 * 24, 'hard-stop'],
    ['HbA1c again after 80 days (inside 90)', loinc('4548-4'), loinc('4548-4'), 80 * 24, 'hard-stop'],
    ['HbA1c again after 91 days', loinc('4548-4'), loinc('17856-6'), 91 * 24, false],
    ['a BMP 4 h after a CMP (the CMP contains it)', loinc('24323-8'), loinc('24320-4'), 4, 'hard-stop'],
    ['a CMP 4 h after a BMP (adds the liver tests)', loinc('24320-4'), loinc('24323-8'), 4, false],
    ['total cholesterol 3 days after a lipid panel', loinc('57698-3'), loinc('2093-3'), 72, 'hard-stop'],
    ['a lipid panel 3 days after a total cholesterol', loinc('2093-3'), loinc('57698-3'), 72, false],
    ['troponin at 0 h and 3 h (serial)', loinc('89579-7'), loinc('89579-7'), 3, 'warn'],
    ['hs troponin T at 0 h and 1 h (serial)', loinc('67151-1'), loinc('67151-1'), 1, 'warn'],
    ['a second ECG 6 h later (serial)', cpt('93000'), cpt('93000'), 6, 'warn'],
    ['a second set of blood cultures 10 minutes later', loinc('600-7'), cpt('87040'), 1 / 6, 'warn'],
    ['CRP again the next morning', loinc('1988-5'), loinc('1988-5'), 20, 'hard-stop'],
  ] as const)('%s', (_case, first, second, afterHours, expected) => {
    const check = checkDuplicate({ code: second as OrderCode, orderedAt: at(T0, afterHours) }, [earlier(first, T0)]);
    if (expected === false) expect(check).toEqual({ duplicate: false });
    else expect(check).toMatchObject({ duplicate: true, action: expected });
  });

  it('lets a site make serial tests hard stops', () => {
    const strict = DUPLICATE_RULES.map((rule) => (rule.serial ? { ...rule, onRepeat: 'hard-stop' as const } : rule));
    expect(checkDuplicate({ code: loinc('89579-7'), orderedAt: at(T0, 3) }, [earlier(loinc('89579-7'), T0)], strict)).toMatchObject({
      duplicate: true,
      action: 'hard-stop',
    });
  });

  it('never flags a code no rule covers, nor an order placed after the candidate', () => {
    expect(ruleFor(loinc('2345-7'))).toBeUndefined();
    expect(
      checkDuplicate({ code: loinc('2345-7'), orderedAt: '2026-11-10T00:00:00Z' }, [earlier(loinc('2345-7'), '2026-11-10T00:00:00Z')]),
    ).toEqual({ duplicate: false });
    expect(
      checkDuplicate({ code: loinc('1988-5'), orderedAt: '2026-11-10T00:00:00Z' }, [earlier(loinc('1988-5'), '2026-11-10T05:00:00Z')]),
    ).toEqual({ duplicate: false });
  });

  it('answers with the newest earlier order', () => {
    const older = earlier(loinc('1988-5'), '2026-11-09T00:00:00.000Z');
    const newer = earlier(loinc('1988-5'), '2026-11-09T12:00:00.000Z', 'o-2');
    expect(checkDuplicate({ code: loinc('1988-5'), orderedAt: '2026-11-10T00:00:00Z' }, [older, newer])).toMatchObject({
      earlierOrder: { orderId: 'o-2' },
    });
  });
});

describe('when an order may say it was signed', () => {
  const now = new Date('2026-12-03T10:00:00.000Z');
  const admittedAt = '2026-12-01T08:00:00.000Z';
  it.each([
    ['now', now.toISOString(), undefined],
    ['just inside the clock skew', new Date(now.getTime() + CLOCK_SKEW_MS).toISOString(), undefined],
    ['2 days ahead', '2026-12-05T10:00:00.000Z', 'must not be in the future'],
    ['a minute past the skew', new Date(now.getTime() + CLOCK_SKEW_MS + 60_000).toISOString(), 'must not be in the future'],
    ['at admission', admittedAt, undefined],
    ['before admission', '2026-11-30T08:00:00.000Z', expect.stringContaining("before the stay's admission")],
  ])('%s', (_case, orderedAt, expected) => {
    expect(orderedAtProblem(orderedAt, admittedAt, now, CLOCK_SKEW_MS)).toEqual(expected);
  });
});
