import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { uniq } from '../fixtures/adt';
import { api, localStack } from '../support/clients';

const inDays = (days: number, hour = 14) => {
  const at = new Date(Date.now() + days * 86_400_000);
  at.setUTCHours(hour, 0, 0, 0);
  return at.toISOString();
};
const thirtyMinutesAfter = (iso: string) => new Date(Date.parse(iso) + 30 * 60_000).toISOString();

async function publish(practitionerId: string, starts: string[]) {
  const published = await api('POST', `/v1/practitioners/${practitionerId}/slots`, {
    clinic: 'Synthetic Heart Failure Clinic',
    slots: starts.map((start) => ({ start, end: thirtyMinutesAfter(start) })),
    publishedBy: 'Scheduler Synthetic',
  });
  expect(published.status).toBe(201);
  return published.body.slots as Array<{ slotId: string; start: string }>;
}

/** Stays that start no workflow (outpatient visits), for booking at volume. */
const outpatient = async () =>
  (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body as { encounterId: string; patientId: string };

describe('follow-up scheduling', () => {
  it('publishes slots once, refuses impossible ones with the field, and lists them in time order', async () => {
    const practitionerId = uniq('dr');
    const slots = await publish(practitionerId, [inDays(3), inDays(2)]);
    const again = await api('POST', `/v1/practitioners/${practitionerId}/slots`, {
      clinic: 'x',
      slots: [{ start: inDays(2), end: thirtyMinutesAfter(inDays(2)) }],
      publishedBy: 's',
    });
    expect(again.body.published).toBe(0);
    const bad = await api('POST', `/v1/practitioners/${practitionerId}/slots`, {
      clinic: 'x',
      slots: [
        { start: inDays(4), end: inDays(4, 13) },
        { start: inDays(-1), end: thirtyMinutesAfter(inDays(-1)) },
      ],
      publishedBy: 's',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      { field: 'slots.0.end', reason: 'must be after start' },
      { field: 'slots.1.start', reason: 'must be in the future' },
    ]);
    const listed = await api(
      'GET',
      `/v1/practitioners/${practitionerId}/slots?from=${encodeURIComponent(inDays(0, 0))}&to=${encodeURIComponent(inDays(30))}&status=free`,
    );
    expect(listed.body.items.map((s: { slotId: string }) => s.slotId)).toEqual([slots[1]!.slotId, slots[0]!.slotId]);
    // Another facility's client sees none of them.
    const other = await api(
      'GET',
      `/v1/practitioners/${practitionerId}/slots?from=${encodeURIComponent(inDays(0, 0))}&to=${encodeURIComponent(inDays(30))}`,
      undefined,
      {},
      'F2',
    );
    expect(other.body.items).toEqual([]);
  });

  it('50 parallel bookings of one slot: exactly one wins, 49 get 409, the slot holds that one', async () => {
    const [slot] = await publish(uniq('dr'), [inDays(5)]);
    const stays = await Promise.all(Array.from({ length: 50 }, outpatient));
    const answers = await Promise.all(
      stays.map((stay) =>
        api('POST', `/v1/encounters/${stay.encounterId}/appointments`, { slotId: slot!.slotId, reason: 'Follow-up', bookedBy: 'cm' }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const winner = answers.find((a) => a.status === 201)!.body;
    const held = (
      await api(
        'GET',
        `/v1/practitioners/${winner.practitionerId}/slots?from=${encodeURIComponent(inDays(0, 0))}&to=${encodeURIComponent(inDays(30))}`,
      )
    ).body.items;
    expect(held).toEqual([expect.objectContaining({ slotId: slot!.slotId, status: 'booked', appointmentId: winner.appointmentId })]);
    // The winner resending its request (a retry) gets its appointment back, not a second one.
    const resent = await api('POST', `/v1/encounters/${winner.encounterId}/appointments`, {
      slotId: slot!.slotId,
      reason: 'Follow-up',
      bookedBy: 'cm',
    });
    expect(resent).toMatchObject({ status: 200, body: { appointmentId: winner.appointmentId } });
  });

  it('reschedules into a free slot (the old one freed), cancels (the slot freed again), and exports the booked visits as iCalendar', async () => {
    const practitionerId = uniq('dr');
    const [first, second] = await publish(practitionerId, [inDays(6), inDays(7)]);
    const stay = await outpatient();
    const booked = await api('POST', `/v1/encounters/${stay.encounterId}/appointments`, {
      slotId: first!.slotId,
      reason: 'Follow-up after heart failure admission',
      bookedBy: 'cm',
    });
    expect(booked.status).toBe(201);
    const { appointmentId } = booked.body;
    const moved = await api('PUT', `/v1/appointments/${appointmentId}`, { slotId: second!.slotId, by: 'cm' });
    expect(moved.body).toMatchObject({ slotId: second!.slotId, start: second!.start, rescheduledFrom: [first!.start], version: 2 });
    const slotsNow = async () =>
      (
        await api(
          'GET',
          `/v1/practitioners/${practitionerId}/slots?from=${encodeURIComponent(inDays(0, 0))}&to=${encodeURIComponent(inDays(30))}`,
        )
      ).body.items.map((s: { status: string }) => s.status);
    expect(await slotsNow()).toEqual(['free', 'booked']);

    const ics = await fetch(`${localStack().httpUrl}/v1/patients/${stay.patientId}/appointments.ics`, {
      headers: { authorization: `Bearer ${localStack().tokens.F1}` },
    });
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const calendar = await ics.text();
    expect(calendar).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(calendar).toContain(`UID:${appointmentId}@carepath`);
    expect(calendar).toContain(`DTSTART:${second!.start.replace(/[-:]/g, '').replace('.000', '')}`);

    const cancelled = await api('POST', `/v1/appointments/${appointmentId}/cancel`, { reason: 'Patient moved away', by: 'cm' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancel: { reason: 'Patient moved away' } });
    expect(await slotsNow()).toEqual(['free', 'free']);
    expect((await api('PUT', `/v1/appointments/${appointmentId}`, { slotId: first!.slotId, by: 'cm' })).status).toBe(409);
    expect((await api('POST', `/v1/appointments/${appointmentId}/cancel`, { reason: 'again', by: 'cm' })).status).toBe(200);
  });
});
