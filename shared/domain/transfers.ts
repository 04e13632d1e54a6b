import type { Recorder } from './access';
import { ConflictError, ValidationError } from './errors';
import type { PostAcuteProvider, ProviderType } from './patient-choice';

/**
 * A transfer to another inpatient facility (a higher level of care, rehab, long-term acute
 * care, skilled nursing): receiving facilities are asked one at a time, in the order the
 * patient and team chose, until one accepts; then records go, transport is arranged and the
 * arrival confirmed. A cancel at any point is compensated: the accepted bed is released and
 * arranged transport cancelled (a saga), and the record says which of those happened.
 */
export const RECEIVING_TYPES: readonly ProviderType[] = [
  'acute-care-hospital',
  'inpatient-rehab-facility',
  'long-term-care-hospital',
  'skilled-nursing-facility',
];
export const TRANSPORT_MODES = ['ground-bls', 'ground-als', 'critical-care-ground', 'rotor-wing', 'fixed-wing'] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];
export const MAX_CANDIDATES = 5;

export type CandidateStatus = 'waiting' | 'asked' | 'accepted' | 'declined' | 'timed-out' | 'released';
export interface TransferCandidate {
  providerId: string;
  name: string;
  status: CandidateStatus;
  askedAt?: string;
  answeredAt?: string;
  reason?: string;
  /** The name the answer gave (the receiving facility's person, display only) and the token that relayed it. */
  answeredBy?: string;
  recorder?: Recorder;
}

export type TransferStatus = 'requested' | 'accepted' | 'transport-arranged' | 'arrived' | 'cancelled' | 'not-placed';
/** What the execution waits for now, when it waits for someone. */
export type TransferAwaiting = 'answer' | 'transport' | 'arrival';

export interface Transfer {
  transferId: string;
  encounterId: string;
  facilityId: string;
  patientId: string;
  executionName: string;
  reason: string;
  /** The name the body gave (display only); who requested it is `by`, from the token. */
  requestedBy: string;
  by?: Recorder;
  requestedAt: string;
  status: TransferStatus;
  candidates: TransferCandidate[];
  recordsSentAt?: string;
  transport?: { mode: TransportMode; vendor: string; pickupAt: string; arrangedAt: string; recorder?: Recorder; cancelledAt?: string };
  arrivedAt?: string;
  /** Who confirmed the arrival: the name given (display only) and the token that sent it. */
  arrival?: { confirmedBy: string; recorder: Recorder };
  /** `by` is the name given (display only); `recorder` the token that cancelled it. */
  cancel?: { reason: string; by: string; recorder?: Recorder; at: string };
  /** What the compensation undid, once it ran. */
  compensated?: { bedReleased: boolean; transportCancelled: boolean; at: string };
  awaiting?: TransferAwaiting;
  /** The answer for the waiting execution: `pending` until the stream hands it over. */
  resume?: 'pending' | 'delivered' | 'not-waiting';
  /** Optimistic lock: every change names the version it read. */
  version: number;
}

export function newTransfer(
  input: {
    transferId: string;
    encounterId: string;
    facilityId: string;
    patientId: string;
    executionName: string;
    reason: string;
    requestedBy: string;
    by?: Recorder;
    receivingFacilities: string[];
  },
  directory: readonly PostAcuteProvider[],
  now: Date,
): Transfer {
  const issues = input.receivingFacilities.flatMap((providerId, index) => {
    const provider = directory.find((p) => p.providerId === providerId);
    if (!provider || !RECEIVING_TYPES.includes(provider.type))
      return [{ field: `receivingFacilities.${index}`, reason: 'must be an inpatient facility in the directory' }];
    if (!provider.servesFacilities.includes(input.facilityId))
      return [{ field: `receivingFacilities.${index}`, reason: 'does not take transfers from this facility' }];
    return [];
  });
  if (new Set(input.receivingFacilities).size !== input.receivingFacilities.length)
    issues.push({ field: 'receivingFacilities', reason: 'must not repeat a facility' });
  if (issues.length) throw new ValidationError('The receiving facilities are not valid', issues);
  const { receivingFacilities, ...rest } = input;
  return {
    ...rest,
    requestedAt: now.toISOString(),
    status: 'requested',
    version: 1,
    candidates: receivingFacilities.map((providerId) => ({
      providerId,
      name: directory.find((p) => p.providerId === providerId)!.name,
      status: 'waiting',
    })),
  };
}

export class TransferCancelledError extends Error {
  override name = 'TransferCancelled';
}

export const isOpen = (transfer: Transfer) => !['arrived', 'cancelled', 'not-placed'].includes(transfer.status);

/** Every step of the saga first checks for a cancel: a cancelled transfer does nothing more but compensate. */
export function assertNotCancelled(transfer: Transfer): void {
  if (transfer.cancel) throw new TransferCancelledError(`Transfer ${transfer.transferId} was cancelled`);
}

/** The next facility to ask, or none left. Marks it asked. */
export function askNext(transfer: Transfer, now: Date): { transfer: Transfer; candidate?: TransferCandidate } {
  const index = transfer.candidates.findIndex((c) => c.status === 'waiting');
  if (index < 0) return { transfer: { ...transfer, status: 'not-placed', awaiting: undefined } };
  const candidate: TransferCandidate = { ...transfer.candidates[index]!, status: 'asked', askedAt: now.toISOString() };
  return {
    transfer: { ...transfer, awaiting: 'answer', candidates: transfer.candidates.map((c, i) => (i === index ? candidate : c)) },
    candidate,
  };
}

const asked = (transfer: Transfer) => transfer.candidates.find((c) => c.status === 'asked');

/** The asked facility's answer (through the API), or its silence (the workflow's timeout). */
export function answer(
  transfer: Transfer,
  providerId: string,
  decision: 'accept' | 'decline' | 'timed-out',
  reason: string | undefined,
  now: Date,
  answeredBy?: { answeredBy: string; recorder: Recorder },
): Transfer {
  const candidate = asked(transfer);
  if (!isOpen(transfer) || transfer.cancel)
    throw new ConflictError(`Transfer ${transfer.transferId} is ${transfer.cancel ? 'cancelled' : transfer.status}`);
  if (!candidate || candidate.providerId !== providerId) {
    throw new ConflictError(`Transfer ${transfer.transferId} is not waiting for an answer from ${providerId}`);
  }
  const status: CandidateStatus = decision === 'accept' ? 'accepted' : decision === 'decline' ? 'declined' : 'timed-out';
  const answered = { ...candidate, status, answeredAt: now.toISOString(), ...(reason ? { reason } : {}), ...answeredBy };
  return {
    ...transfer,
    status: decision === 'accept' ? 'accepted' : transfer.status,
    candidates: transfer.candidates.map((c) => (c === candidate ? answered : c)),
  };
}

export function arrangeTransport(
  transfer: Transfer,
  transport: { mode: TransportMode; vendor: string; pickupAt: string; recorder?: Recorder },
  now: Date,
): Transfer {
  if (transfer.cancel || transfer.status !== 'accepted') {
    throw new ConflictError(
      `Transfer ${transfer.transferId} is not waiting for transport (${transfer.cancel ? 'cancelled' : transfer.status})`,
    );
  }
  return { ...transfer, status: 'transport-arranged', transport: { ...transport, arrangedAt: now.toISOString() } };
}

export function confirmArrival(
  transfer: Transfer,
  arrivedAt: string,
  now: Date,
  arrival?: { confirmedBy: string; recorder: Recorder },
): Transfer {
  if (transfer.cancel || transfer.status !== 'transport-arranged') {
    throw new ConflictError(
      `Transfer ${transfer.transferId} is not waiting for the arrival (${transfer.cancel ? 'cancelled' : transfer.status})`,
    );
  }
  if (Date.parse(arrivedAt) > now.getTime())
    throw new ValidationError('The arrival is in the future', [{ field: 'arrivedAt', reason: 'must not be in the future' }]);
  return { ...transfer, status: 'arrived', arrivedAt, ...(arrival ? { arrival } : {}) };
}

export function requestCancel(transfer: Transfer, cancel: { reason: string; by: string; recorder?: Recorder }, now: Date): Transfer {
  if (transfer.cancel) return transfer;
  if (!isOpen(transfer)) throw new ConflictError(`Transfer ${transfer.transferId} is ${transfer.status}: nothing to cancel`);
  return { ...transfer, cancel: { ...cancel, at: now.toISOString() } };
}

/** The compensation: release the accepted (or still-asked) bed, cancel arranged transport. */
export function compensate(transfer: Transfer, now: Date): Transfer {
  if (transfer.compensated) return transfer;
  const at = now.toISOString();
  const bedReleased = transfer.candidates.some((c) => c.status === 'accepted' || c.status === 'asked');
  const transportCancelled = transfer.transport !== undefined && !transfer.transport.cancelledAt;
  return {
    ...transfer,
    status: 'cancelled',
    awaiting: undefined,
    candidates: transfer.candidates.map((c) =>
      c.status === 'accepted' || c.status === 'asked' ? { ...c, status: 'released', answeredAt: c.answeredAt ?? at } : c,
    ),
    ...(transportCancelled ? { transport: { ...transfer.transport!, cancelledAt: at } } : {}),
    compensated: { bedReleased, transportCancelled, at },
  };
}

/** What a waiting state is handed (ids and statuses only; no free text in execution history). */
export function transferProgress(transfer: Transfer): { transferId: string; status: string } {
  const last = [...transfer.candidates].reverse().find((c) => c.status !== 'waiting');
  return { transferId: transfer.transferId, status: transfer.status === 'requested' ? (last?.status ?? 'requested') : transfer.status };
}
