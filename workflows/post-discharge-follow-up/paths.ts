import { FOLLOW_UP_STATES as S } from './definition';

/**
 * The paths Post-discharge Follow-up is designed to take, state by state: the workflow tests
 * check real executions against them, and docs/workflows.md counts their state transitions.
 */
const plan = [S.plan, S.qualifies];
const contact = [S.waitContact, S.checkContact, S.contactInTime];
const visit = [S.waitVisit, S.checkVisit, S.visitInTime];
const close = [S.close, S.done];

export const FOLLOW_UP_PATHS = {
  onTime: {
    description: 'Contact within 2 business days, visit and reconciliation in time, window closes',
    states: [...plan, ...contact, S.sendSurvey, ...visit, S.waitWindow, ...close],
    walkedOnly: true,
  },
  everythingMissed: {
    description: 'Contact and visit missed: each escalated to the lead care manager, window closes',
    states: [...plan, ...contact, S.escalateContact, S.sendSurvey, ...visit, S.escalateVisit, S.waitWindow, ...close],
  },
  readmitted: {
    description: 'Readmitted before the contact deadline: follow-up of this stay ends',
    states: [...plan, ...contact, ...close],
  },
  notEligible: {
    description: 'Discharged where TCM does not apply (hospice, another hospital)',
    states: [...plan, S.notEligible],
  },
} as const;
