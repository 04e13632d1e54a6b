import { afterAll, describe, expect, it } from 'vitest';
import { loadStageConfig } from '../../infra/config/stage';
import { usFederalHolidays } from '../../shared/domain/business-days';
import { adtStore } from '../../shared/store/adt-store';
import { adt, msa, uniq } from '../fixtures/adt';
import { api, localDynamo, localStack, sendAdt } from '../support/clients';

/**
 * Every clinical day is the facility's local day: HL7 times without an offset are F1's local time
 * (America/New_York in the dev stage), and the TCM contact is due at the end of the 2nd local
 * business day after the local discharge day. Expected values are worked out here with Intl's own
 * offsets, not with the code under test.
 */
const ZONE = loadStageConfig('dev').facilityTimeZones.F1!;
const dynamo = localDynamo();
afterAll(() => dynamo.destroy());
const poll = { timeout: 20_000, interval: 200 };

const offsetMinutes = (at: Date) => {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};
/** A local wall-clock time away from any DST change → its instant. */
const instantOf = (date: string, time: string) => {
  const asUtc = new Date(`${date}T${time}:00Z`);
  return new Date(asUtc.getTime() - offsetMinutes(asUtc) * 60_000);
};
const localDateOf = (at: Date) => at.toLocaleDateString('sv-SE', { timeZone: ZONE });
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const hl7 = (date: string, time: string) => `${date.replace(/-/g, '')}${time.replace(':', '')}`;

async function dischargeOverAdt(admitted: string, discharged: string) {
  const mrn = uniq('MRN-TZ');
  const visit = uniq('V-TZ');
  for (const message of [
    adt({ event: 'A01', mrn, visit, at: admitted, admittedAt: admitted, offsetless: true }),
    adt({ event: 'A03', mrn, visit, at: discharged, admittedAt: admitted, dischargedAt: discharged, disposition: '01', offsetless: true }),
  ]) {
    const response = await sendAdt(message);
    expect(msa(response.ack), response.ack).toMatchObject({ code: 'AA' });
  }
  const id = await adtStore(dynamo, localStack().tableName).findEncounterIdByVisit('F1', visit);
  await expect.poll(async () => (await api('GET', `/v1/encounters/${id}`)).body.followUp?.contactDueBy, poll).toBeDefined();
  return (await api('GET', `/v1/encounters/${id}`)).body;
}

describe("clinical days are the facility's local days (ADT feed → TCM deadline)", () => {
  it('gives a 21:45 local discharge its contact by the end of the 2nd local business day after that day', async () => {
    const day = localDateOf(new Date(Date.now() - 2 * 86_400_000));
    const dischargedAt = instantOf(day, '21:45');
    // In New York 21:45 is already the next day in UTC: the day a UTC calendar would have counted from.
    expect(dischargedAt.toISOString().slice(0, 10)).not.toBe(day);

    const holidays = new Set([Number(day.slice(0, 4)), Number(day.slice(0, 4)) + 1].flatMap(usFederalHolidays));
    let due = day;
    for (let left = 2; left > 0; ) {
      due = plusDays(due, 1);
      const weekday = new Date(`${due}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6 && !holidays.has(due)) left -= 1;
    }
    const expectedDue = new Date(instantOf(plusDays(due, 1), '00:00').getTime() - 1).toISOString();

    const encounter = await dischargeOverAdt(hl7(plusDays(day, -2), '09:00'), hl7(day, '21:45'));
    expect(encounter.admittedAt).toBe(instantOf(plusDays(day, -2), '09:00').toISOString());
    expect(encounter.discharge.dischargedAt).toBe(dischargedAt.toISOString());
    expect(encounter.followUp.contactDueBy).toBe(expectedDue);
    const contactTask = (await api('GET', `/v1/tasks?encounterId=${encounter.encounterId}`)).body.items.find(
      (t: { type: string }) => t.type === 'follow-up-contact',
    );
    expect(contactTask?.dueAt).toBe(expectedDue);
  });

  it.each([
    // Fall-back night: 01:30 happens twice; without an offset it is the first (EDT). Sunday → Monday, Tuesday; Tuesday ends in EST.
    [
      'the repeated fall-back hour',
      '202610300900',
      '202611010130',
      '2026-11-01T05:30:00.000Z',
      '2026-11-04T04:59:59.999Z',
      '2026-11-16T04:59:59.999Z',
    ],
    // Spring-forward gap: 02:30 does not exist; read with the offset before the gap (EST) it is 03:30 EDT.
    [
      'the spring-forward gap',
      '202603061000',
      '202603080230',
      '2026-03-08T07:30:00.000Z',
      '2026-03-11T03:59:59.999Z',
      '2026-03-23T03:59:59.999Z',
    ],
  ])(
    'reads a discharge in %s by the documented rule and counts local days from it',
    async (_label, admitted, discharged, dischargedAt, contactDueBy, visitDueBy) => {
      const encounter = await dischargeOverAdt(admitted, discharged);
      expect(encounter.discharge.dischargedAt).toBe(dischargedAt);
      expect(encounter.followUp).toMatchObject({ contactDueBy, visitDueBy });
    },
  );
});
