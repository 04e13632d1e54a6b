import { describe, expect, it } from 'vitest';
import { checkDuplicate, CODE_SYSTEMS, DUPLICATE_RULES, ruleFor, type Order } from '../../shared/domain/orders';

const loinc = (code: string) => ({ system: CODE_SYSTEMS.loinc, code });
const HOUR = 3_600_000;
const earlier = (code: ReturnType<typeof loinc>, orderedAt: string): Order => ({
  orderId: 'o-1',
  facilityId: 'F1',
  patientId: 'p-1',
  encounterId: 'e-1',
  placerOrderNumber: 'P-1',
  code,
  orderingPractitioner: { id: 'dr-a' },
  orderedAt,
});

describe('duplicate-order rules', () => {
  it.each(DUPLICATE_RULES.map((rule) => [rule.label, rule] as const))('%s: a repeat inside the interval is a duplicate, at the interval it is not', (_label, rule) => {
    const code = rule.codes[0]! as ReturnType<typeof loinc>;
    const first = '2026-11-01T08:00:00.000Z';
    const justInside = new Date(Date.parse(first) + rule.minIntervalHours * HOUR - 1).toISOString();
    const atInterval = new Date(Date.parse(first) + rule.minIntervalHours * HOUR).toISOString();
    expect(checkDuplicate({ code, orderedAt: justInside }, [earlier(code, first)])).toMatchObject({ duplicate: true, rule: { id: rule.id }, allowedFrom: atInterval });
    expect(checkDuplicate({ code, orderedAt: atInterval }, [earlier(code, first)])).toEqual({ duplicate: false });
  });

  it('treats codes of one rule as the same test (TSH then free T4) and other rules as different', () => {
    expect(checkDuplicate({ code: loinc('3024-7'), orderedAt: '2026-11-10T00:00:00Z' }, [earlier(loinc('3016-3'), '2026-11-01T00:00:00Z')])).toMatchObject({ duplicate: true });
    expect(checkDuplicate({ code: loinc('2276-4'), orderedAt: '2026-11-10T00:00:00Z' }, [earlier(loinc('3016-3'), '2026-11-01T00:00:00Z')])).toEqual({ duplicate: false });
  });

  it('never flags a code no rule covers, nor an order placed after the candidate', () => {
    expect(ruleFor(loinc('2345-7'))).toBeUndefined();
    expect(checkDuplicate({ code: loinc('2345-7'), orderedAt: '2026-11-10T00:00:00Z' }, [earlier(loinc('2345-7'), '2026-11-10T00:00:00Z')])).toEqual({ duplicate: false });
    expect(checkDuplicate({ code: loinc('1988-5'), orderedAt: '2026-11-10T00:00:00Z' }, [earlier(loinc('1988-5'), '2026-11-10T05:00:00Z')])).toEqual({ duplicate: false });
  });

  it('answers with the newest earlier order', () => {
    const older = earlier(loinc('1988-5'), '2026-11-09T00:00:00.000Z');
    const newer = { ...earlier(loinc('1988-5'), '2026-11-09T12:00:00.000Z'), orderId: 'o-2' };
    expect(checkDuplicate({ code: loinc('1988-5'), orderedAt: '2026-11-10T00:00:00Z' }, [older, newer])).toMatchObject({ earlierOrder: { orderId: 'o-2' } });
  });
});
