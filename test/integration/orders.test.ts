import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api } from '../support/clients';

const LOINC = 'http://loinc.org';
const CPT = 'http://www.ama-assn.org/go/cpt';
const uniqueUnit = () => `U${randomUUID().slice(0, 6)}`;
const order = (overrides: Record<string, unknown> = {}) => ({
  placerOrderNumber: `ORD-${randomUUID().slice(0, 8)}`,
  code: { system: LOINC, code: '3016-3', display: 'TSH' },
  orderingPractitioner: { id: 'dr-a', name: 'Dr A Synthetic' },
  ...overrides,
});

/** Two stays of one synthetic patient (a transfer or a readmission: orders follow the patient). */
async function twoStays(unit = '4W') {
  const admission = syntheticAdmission({ class: 'outpatient', unit });
  const first = (await api('POST', '/v1/encounters', admission)).body;
  const second = (await api('POST', '/v1/encounters', { ...admission, admittedAt: '2026-11-22T08:00:00Z' })).body;
  expect(second.patientId).toBe(first.patientId);
  return [first.encounterId as string, second.encounterId as string];
}

/**
 * The duplicate-order figures of one unit around today (the metrics follow the change stream).
 * Counts land on the facility's local day, which trails or leads UTC by hours: the unit is the
 * test's own, so the days either side hold nothing else.
 */
async function duplicateOrders(unit: string) {
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  return (await api('GET', `/v1/metrics?unit=${unit}&from=${day(-1)}&to=${day(1)}`)).body.duplicateOrders;
}

describe('duplicate orders', () => {
  it('refuses a repeat by another practitioner in another stay with the earlier order, and places it with a reason', async () => {
    // A unit of its own, so the counts are this test's alone.
    const unit = uniqueUnit();
    const [stay1, stay2] = await twoStays(unit);
    const first = await api('POST', `/v1/encounters/${stay1}/orders`, order({ orderedAt: '2026-11-20T08:00:00Z' }));
    expect(first).toMatchObject({ status: 201, body: { ruleId: 'tsh', encounterId: stay1 } });

    // TSH again (its SI-unit LOINC) in the second stay: the same test inside 28 days.
    const repeat = order({
      code: { system: LOINC, code: '11580-8' },
      orderingPractitioner: { id: 'dr-b' },
      orderedAt: '2026-11-28T08:00:00Z',
    });
    const refused = await api('POST', `/v1/encounters/${stay2}/orders`, repeat);
    expect(refused).toMatchObject({
      status: 409,
      body: {
        error: 'DuplicateOrder',
        rule: { id: 'tsh', minIntervalHours: 672 },
        earlierOrder: { orderId: first.body.orderId },
        allowedFrom: '2026-12-18T08:00:00.000Z',
      },
    });
    expect(refused.body.issues).toEqual([{ field: 'overrideReason', reason: expect.any(String) }]);
    // The same refused order resent is refused again but counted once.
    expect((await api('POST', `/v1/encounters/${stay2}/orders`, repeat)).status).toBe(409);

    const placed = await api('POST', `/v1/encounters/${stay2}/orders`, {
      ...repeat,
      overrideReason: 'New amiodarone started; endocrinology asks for free T4 now',
    });
    expect(placed).toMatchObject({ status: 201, body: { duplicateOverride: { earlierOrderId: first.body.orderId } } });
    const resent = await api('POST', `/v1/encounters/${stay2}/orders`, {
      ...repeat,
      overrideReason: 'New amiodarone started; endocrinology asks for free T4 now',
    });
    expect(resent).toMatchObject({ status: 200, body: { orderId: placed.body.orderId } });

    // Refused once (however often resent), then placed with a reason: flagged 1, overridden 1, none avoided.
    await expect.poll(() => duplicateOrders(unit), { timeout: 20_000, interval: 250 }).toEqual({ flagged: 1, overridden: 1, avoided: 0 });
  });

  it('lets exactly one of many simultaneous orders of one test through', async () => {
    const [stay] = await twoStays();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(
          'POST',
          `/v1/encounters/${stay}/orders`,
          order({ code: { system: LOINC, code: '1988-5' }, orderingPractitioner: { id: `dr-${i}` } }),
        ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
  });

  it('places codes no rule covers every time, reports each bad field, and hides other facilities', async () => {
    const [stay] = await twoStays();
    for (let i = 0; i < 2; i += 1)
      expect((await api('POST', `/v1/encounters/${stay}/orders`, order({ code: { system: LOINC, code: '2345-7' } }))).status).toBe(201);
    const bad = await api('POST', `/v1/encounters/${stay}/orders`, {
      placerOrderNumber: '',
      code: { system: 'urn:other', code: 'x y' },
      orderingPractitioner: {},
      orderedAt: 'yesterday',
      overrideReason: 'short',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(
      ['code.code', 'code.system', 'orderedAt', 'orderingPractitioner.id', 'overrideReason', 'placerOrderNumber'].sort(),
    );
    expect((await api('POST', `/v1/encounters/${stay}/orders`, order(), {}, 'F2')).status).toBe(404);
  });

  it('places companion tests together, warns on protocol-serial repeats, and refuses a test its panel already holds', async () => {
    const [, stay] = await twoStays();
    const place = (code: string, orderedAt: string, system = LOINC) =>
      api('POST', `/v1/encounters/${stay}/orders`, order({ code: { system, code }, orderedAt }));
    // TSH with free T4, magnesium with phosphate: companions, each placed.
    for (const code of ['3016-3', '3024-7', '19123-9', '2777-1']) expect((await place(code, '2026-11-22T09:00:00Z')).status).toBe(201);
    // Troponin at 0 h and 3 h: the second draw is placed, with a warning naming the first.
    const zero = await place('89579-7', '2026-11-22T10:00:00Z');
    expect(zero).toMatchObject({ status: 201 });
    expect(zero.body.repeatWarning).toBeUndefined();
    const threeHours = await place('89579-7', '2026-11-22T13:00:00Z');
    expect(threeHours).toMatchObject({
      status: 201,
      body: { repeatWarning: { ruleId: 'troponin', earlierOrderId: zero.body.orderId, serial: true } },
    });
    // Serial ECGs likewise.
    expect((await place('93000', '2026-11-22T10:05:00Z', CPT)).status).toBe(201);
    expect(await place('93000', '2026-11-22T16:05:00Z', CPT)).toMatchObject({ status: 201, body: { repeatWarning: { ruleId: 'ecg' } } });
    // A BMP while a CMP of 4 h ago stands repeats it; a CMP after a BMP adds tests.
    const cmp = await place('24323-8', '2026-11-23T06:00:00Z');
    expect(cmp.status).toBe(201);
    expect(await place('24320-4', '2026-11-23T10:00:00Z')).toMatchObject({
      status: 409,
      body: { rule: { id: 'cmp' }, earlierOrder: { orderId: cmp.body.orderId } },
    });
  });

  it('refuses an orderedAt ahead of the clock or before the admission, naming the field', async () => {
    const [, stay] = await twoStays();
    const twoDaysAhead = new Date(Date.now() + 2 * 86_400_000).toISOString();
    for (const orderedAt of [twoDaysAhead, '2026-11-21T08:00:00Z']) {
      const refused = await api('POST', `/v1/encounters/${stay}/orders`, order({ orderedAt }));
      expect(refused.status).toBe(400);
      expect(refused.body.issues).toEqual([{ field: 'orderedAt', reason: expect.any(String) }]);
    }
  });

  it("lists a stay's orders, oldest first, to the clinical record's readers only", async () => {
    const [stay1, stay2] = await twoStays();
    const second = await api(
      'POST',
      `/v1/encounters/${stay2}/orders`,
      order({ code: { system: LOINC, code: '2345-7' }, orderedAt: '2026-11-23T08:00:00Z' }),
    );
    const first = await api(
      'POST',
      `/v1/encounters/${stay2}/orders`,
      order({ code: { system: LOINC, code: '2276-4' }, orderedAt: '2026-11-22T09:00:00Z' }),
    );
    await api(
      'POST',
      `/v1/encounters/${stay1}/orders`,
      order({ code: { system: LOINC, code: '2345-7' }, orderedAt: '2026-11-20T09:00:00Z' }),
    );
    const listed = await api('GET', `/v1/encounters/${stay2}/orders`, undefined, {}, { facility: 'F1', role: 'nurse' });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((o: { orderId: string }) => o.orderId)).toEqual([first.body.orderId, second.body.orderId]);
    expect((await api('GET', `/v1/encounters/${stay2}/orders`, undefined, {}, { facility: 'F1', role: 'operator' })).status).toBe(403);
    expect((await api('GET', `/v1/encounters/${stay2}/orders`, undefined, {}, 'F2')).status).toBe(404);
  });
});
