import type { Recorder } from './access';
import type { DischargePlan, DischargeRecord, Encounter } from './encounter';
import type { DischargeDisposition } from './discharge-plan';
import { isInTheFuture } from './clock';
import { ValidationError } from './errors';

export interface DischargeOrder {
  disposition?: DischargeDisposition;
  dischargeAt?: string;
  /** Display only (a name in the order's data). */
  orderedBy?: string;
  /** The token that completed the order task (CareTask.completedBy). */
  signedBy?: Recorder;
}

/**
 * The discharge as recorded: the physician's order wins over the plan's proposed path; with no
 * time given, the patient leaves now. A discharge before the admission is a data error.
 */
export function recordDischarge(
  encounter: Pick<Encounter, 'admittedAt'> & { dischargePlan?: DischargePlan },
  order: DischargeOrder,
  now: Date,
): DischargeRecord {
  const dischargedAt = order.dischargeAt ? new Date(order.dischargeAt).toISOString() : now.toISOString();
  if (isInTheFuture(dischargedAt, now)) {
    throw new ValidationError('The discharge time is in the future', [
      { field: 'data.dischargeAt', reason: 'must not be in the future: record the discharge when the patient leaves' },
    ]);
  }
  if (dischargedAt < encounter.admittedAt) {
    throw new ValidationError('The discharge time is before the admission', [
      { field: 'data.dischargeAt', reason: 'must not be before the admission time' },
    ]);
  }
  const record: DischargeRecord = {
    disposition: order.disposition ?? encounter.dischargePlan?.path ?? 'home',
    dischargedAt,
  };
  return { ...record, ...(order.orderedBy ? { orderedBy: order.orderedBy } : {}), ...(order.signedBy ? { signedBy: order.signedBy } : {}) };
}

/** TCM (CPT 99495/99496): interactive contact within 2 business days of discharge. */
export const FOLLOW_UP_CONTACT_BUSINESS_DAYS = 2;
