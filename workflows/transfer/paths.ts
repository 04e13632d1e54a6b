import { TRANSFER_STATES as S } from './definition';

/** The paths Transfer is designed to take, state by state (checked against real executions; counted in docs/workflows.md). */
const ask = [S.ask, S.anyLeft, S.awaitAnswer, S.accepted];
const after = [S.sendRecords, S.awaitTransport, S.awaitArrival, S.close, S.done];

export const TRANSFER_PATHS = {
  firstAccepts: { description: 'The first facility accepts; records, transport, arrival', states: [...ask, ...after] },
  declineThenAccept: { description: 'The first declines, the second accepts', states: [...ask, ...ask, ...after] },
  silenceThenAccept: {
    description: 'The first facility does not answer in time (a silence counts as a decline), the second accepts',
    states: [S.ask, S.anyLeft, S.awaitAnswer, S.noAnswer, ...ask, ...after],
  },
  cancelledBeforeArrival: {
    description: 'Accepted and transport arranged, then cancelled before the arrival: bed released, transport cancelled',
    states: [...ask, S.sendRecords, S.awaitTransport, S.awaitArrival, S.compensate, S.cancelled],
  },
} as const;
