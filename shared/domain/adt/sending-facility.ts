import type { AdtHeader, AdtProblem } from './adt-message';

/**
 * A misrouted feed must not be filed under the caller's facility (issue 16 item 14). Each client
 * accepts messages only from its configured sending facilities (MSH-4) and addressed to its own
 * facility (MSH-6, when the sender fills it in). Others get AR: the envelope is wrong, the
 * content is not at fault. receive-adt checks it after storing the message and before applying it;
 * the accepted list is stage config `adtSendingFacilities`, per facility (docs/deploy.md).
 */
export function sendingFacilityProblem(
  header: Pick<AdtHeader, 'sendingFacility' | 'receivingFacility'>,
  accepted: { facilityId: string; sendingFacilities: readonly string[] },
): AdtProblem | undefined {
  const sending = header.sendingFacility.split('^')[0]!.trim();
  if (!accepted.sendingFacilities.includes(sending)) {
    return {
      ackCode: 'AR',
      hl7ErrorCode: '207',
      location: 'MSH^1^4',
      reason: `MSH-4 sending facility "${sending}" is not one this client may send for (${accepted.sendingFacilities.join(', ')})`,
    };
  }
  const receiving = header.receivingFacility.split('^')[0]!.trim();
  if (receiving && receiving !== accepted.facilityId) {
    return {
      ackCode: 'AR',
      hl7ErrorCode: '207',
      location: 'MSH^1^6',
      reason: `MSH-6 receiving facility "${receiving}" is not this client's facility (${accepted.facilityId})`,
    };
  }
  return undefined;
}
