import { CLOCK_SKEW_MS } from '../clock';
import type { AdtMessage, AdtProblem } from './adt-message';

/**
 * Event times the JSON API would refuse are refused over ADT too (issue 16 item 11): a time more
 * than the clock skew ahead (the same CLOCK_SKEW_MS as `admittedAt`/`dischargeAt` on the JSON
 * routes), and a discharge before the admission. A feed's mistake must not discharge a patient
 * three weeks early or put a stay's end before its start. PV2-9 (expected discharge) is a plan and
 * may lie ahead.
 */
export function futureTimeProblem(message: AdtMessage, now: Date): AdtProblem | undefined {
  const limit = now.getTime() + CLOCK_SKEW_MS;
  const ahead = (iso: string | undefined) => !!iso && new Date(iso).getTime() > limit;
  const minutes = CLOCK_SKEW_MS / 60_000;
  // eventTime is EVN-2, or MSH-7 when EVN-2 is empty (interpretAdt): name the one it came from.
  const eventField = message.eventTimeSource === 'MSH-7' ? (['MSH-7', 'MSH^1^7'] as const) : (['EVN-2', 'EVN^1^2'] as const);
  const checks: Array<[string | undefined, string, string]> = [
    [message.eventTime, eventField[0], eventField[1]],
    [message.visit?.admittedAt, 'PV1-44 (admit time)', 'PV1^1^44'],
    [message.visit?.dischargedAt, 'PV1-45 (discharge time)', 'PV1^1^45'],
  ];
  for (const [iso, field, location] of checks) {
    if (ahead(iso)) {
      return {
        ackCode: 'AE',
        hl7ErrorCode: '207',
        location,
        reason: `${field} ${iso} is more than ${minutes} minutes in the future; nothing applied`,
      };
    }
  }
  return undefined;
}

/**
 * A discharge (A03) must not precede the stay's admission: the recorded one when the stay is known
 * (an A03 does not change the admission, so its PV1-44 is not the truth), else PV1-44 in the
 * message. The discharge time is PV1-45, else the event time.
 */
export function dischargeBeforeAdmissionProblem(message: AdtMessage, admittedAt: string | undefined): AdtProblem | undefined {
  if (message.event !== 'A03' || !message.visit) return undefined;
  const admission = admittedAt ?? message.visit.admittedAt;
  const [dischargedAt, field, location] = message.visit.dischargedAt
    ? [message.visit.dischargedAt, 'PV1-45 (discharge time)', 'PV1^1^45']
    : [
        message.eventTime,
        message.eventTimeSource === 'MSH-7' ? 'MSH-7' : 'EVN-2',
        message.eventTimeSource === 'MSH-7' ? 'MSH^1^7' : 'EVN^1^2',
      ];
  if (!admission || new Date(dischargedAt).getTime() >= new Date(admission).getTime()) return undefined;
  return {
    ackCode: 'AE',
    hl7ErrorCode: '207',
    location,
    reason: `${field} ${dischargedAt} is before the admission (${admission}); nothing applied`,
  };
}
