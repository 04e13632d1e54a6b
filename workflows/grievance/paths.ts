import { GRIEVANCE_STATES as S } from './definition';

/** The paths Grievance is designed to take, state by state (checked against real executions; counted in docs/workflows.md). */
export const GRIEVANCE_PATHS = {
  onTime: {
    description: 'Acknowledged, then decided in writing, each in time',
    states: [S.open, S.forQio, S.awaitAcknowledgement, S.decidedAlready, S.awaitDecision, S.close, S.done],
  },
  qioReferralLateAcknowledgement: {
    description: 'Quality of care: referred to the QIO; the acknowledgement deadline passes (escalated); decided in writing',
    states: [
      S.open,
      S.forQio,
      S.referToQio,
      S.awaitAcknowledgement,
      S.escalateAcknowledgement,
      S.decidedAlready,
      S.awaitDecision,
      S.close,
      S.done,
    ],
  },
} as const;
