import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import { POST_ACUTE_DIRECTORY } from '../../shared/domain/post-acute-directory';
import {
  answer,
  arrangeTransport,
  askNext,
  assertNotCancelled,
  compensate,
  confirmArrival,
  newTransfer,
  requestCancel,
  TransferCancelledError,
  transferProgress,
} from '../../shared/domain/transfers';

const now = new Date('2026-11-24T10:00:00.000Z');
const request = (receivingFacilities: string[]) =>
  newTransfer(
    {
      transferId: 't',
      encounterId: 'e',
      facilityId: 'F1',
      patientId: 'p',
      executionName: 'transfer-e-1',
      reason: 'rehab',
      requestedBy: 'cm',
      receivingFacilities,
    },
    POST_ACUTE_DIRECTORY,
    now,
  );

describe('transfers', () => {
  it('asks facilities in order; a decline moves on; none left means not placed', () => {
    let { transfer, candidate } = askNext(request(['hospital-university', 'hospital-st-vincent']), now);
    expect(candidate?.providerId).toBe('hospital-university');
    transfer = answer(transfer, 'hospital-university', 'decline', 'No bed', now);
    expect(transferProgress(transfer)).toEqual({ transferId: 't', status: 'declined' });
    ({ transfer, candidate } = askNext(transfer, now));
    expect(candidate?.providerId).toBe('hospital-st-vincent');
    transfer = answer(transfer, 'hospital-st-vincent', 'timed-out', undefined, now);
    const last = askNext(transfer, now);
    expect(last.candidate).toBeUndefined();
    expect(last.transfer.status).toBe('not-placed');
  });

  it('only the facility asked may answer', () => {
    const { transfer } = askNext(request(['irf-northside']), now);
    expect(() => answer(transfer, 'hospital-university', 'accept', undefined, now)).toThrow(ConflictError);
  });

  it('refuses facilities that are not inpatient, unknown, repeated or not serving the hospital', () => {
    try {
      request(['hha-riverside', 'irf-northside', 'irf-northside', 'ghost']);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.field)).toEqual([
        'receivingFacilities.0',
        'receivingFacilities.3',
        'receivingFacilities',
      ]);
    }
    expect(() =>
      newTransfer(
        {
          transferId: 't',
          encounterId: 'e',
          facilityId: 'F2',
          patientId: 'p',
          executionName: 'x',
          reason: 'r',
          requestedBy: 'cm',
          receivingFacilities: ['ltch-harbor'],
        },
        POST_ACUTE_DIRECTORY,
        now,
      ),
    ).toThrow(/does not take transfers|not valid/);
  });

  it('compensates what was done: bed released, transport cancelled; once', () => {
    let { transfer } = askNext(request(['irf-northside']), now);
    transfer = answer(transfer, 'irf-northside', 'accept', undefined, now);
    transfer = arrangeTransport(transfer, { mode: 'ground-bls', vendor: 'v', pickupAt: now.toISOString() }, now);
    transfer = requestCancel(transfer, { reason: 'patient declined', by: 'cm' }, now);
    expect(() => assertNotCancelled(transfer)).toThrow(TransferCancelledError);
    const undone = compensate(transfer, now);
    expect(undone).toMatchObject({
      status: 'cancelled',
      compensated: { bedReleased: true, transportCancelled: true },
      candidates: [{ status: 'released' }],
    });
    expect(compensate(undone, new Date('2026-11-25T00:00:00.000Z'))).toBe(undone);
  });

  it('a cancel before any facility accepted releases the pending request and cancels no transport', () => {
    const { transfer } = askNext(request(['irf-northside']), now);
    expect(compensate(requestCancel(transfer, { reason: 'r', by: 'cm' }, now), now).compensated).toEqual({
      bedReleased: true,
      transportCancelled: false,
      at: now.toISOString(),
    });
  });

  it('an arrived transfer cannot be cancelled; an arrival cannot be in the future', () => {
    let { transfer } = askNext(request(['irf-northside']), now);
    transfer = arrangeTransport(
      answer(transfer, 'irf-northside', 'accept', undefined, now),
      { mode: 'air' as never, vendor: 'v', pickupAt: now.toISOString() },
      now,
    );
    expect(() => confirmArrival(transfer, '2026-11-25T10:00:00.000Z', now)).toThrow(ValidationError);
    const arrived = confirmArrival(transfer, now.toISOString(), now);
    expect(() => requestCancel(arrived, { reason: 'r', by: 'cm' }, now)).toThrow(ConflictError);
  });
  it('keeps who answered and confirmed: the name given beside the token that sent it; a cancel first recorded stays', () => {
    const relay = { who: 'client-ehr/sw-okonkwo', roles: ['social-worker' as const] };
    let { transfer } = askNext(request(['ltch-harbor']), now);
    transfer = answer(transfer, 'ltch-harbor', 'accept', undefined, now, { answeredBy: 'Harbor Admissions', recorder: relay });
    expect(transfer.candidates[0]).toMatchObject({ status: 'accepted', answeredBy: 'Harbor Admissions', recorder: relay });
    transfer = arrangeTransport(transfer, { mode: 'ground-als', vendor: 'v', pickupAt: now.toISOString() }, now);
    expect(confirmArrival(transfer, now.toISOString(), now, { confirmedBy: 'Charge RN', recorder: relay }).arrival).toEqual({
      confirmedBy: 'Charge RN',
      recorder: relay,
    });
    const cancelled = requestCancel(transfer, { reason: 'family chose home', by: 'son', recorder: relay }, now);
    expect(requestCancel(cancelled, { reason: 'again', by: 'x', recorder: { who: 'other', roles: [] } }, now).cancel).toEqual({
      reason: 'family chose home',
      by: 'son',
      recorder: relay,
      at: now.toISOString(),
    });
  });
});
