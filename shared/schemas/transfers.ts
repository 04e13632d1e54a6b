import * as z from 'zod';
import { utcInstant as instant } from './time';
import { MAX_CANDIDATES, TRANSPORT_MODES } from '../domain/transfers';
import { fromTokenOnly } from './identity';

const who = z.string().trim().min(1).max(200);

export const transferParams = z.object({
  id: z.uuid('must be an encounter id (UUID)'),
  transferId: z.uuid('must be a transfer id (UUID)'),
});

/** POST /v1/encounters/{id}/transfers */
export const requestTransferBody = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  /** Directory ids of inpatient facilities, in the order to ask them. */
  receivingFacilities: z.array(z.string().min(1).max(64)).min(1).max(MAX_CANDIDATES),
  requestedBy: who,
  role: fromTokenOnly,
});

/** POST …/transfers/{transferId}/answer: the receiving facility's decision on the bed request. */
export const transferAnswerBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('accept'), providerId: z.string().min(1).max(64), answeredBy: who, role: fromTokenOnly }),
  z.strictObject({
    decision: z.literal('decline'),
    providerId: z.string().min(1).max(64),
    answeredBy: who,
    reason: z.string().trim().min(1).max(500),
    role: fromTokenOnly,
  }),
]);

/** PUT …/transfers/{transferId}/transport */
export const transferTransportBody = z.strictObject({ mode: z.enum(TRANSPORT_MODES), vendor: who, pickupAt: instant, role: fromTokenOnly });

/** POST …/transfers/{transferId}/arrival */
export const transferArrivalBody = z.strictObject({ arrivedAt: instant, confirmedBy: who, role: fromTokenOnly });

/** POST …/transfers/{transferId}/cancel */
export const cancelTransferBody = z.strictObject({ reason: z.string().trim().min(1).max(500), by: who, role: fromTokenOnly });
