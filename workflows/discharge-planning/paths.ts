import { STATES } from './definition';

/**
 * The paths Discharge Planning is designed to take, state by state. The workflow tests check
 * real executions against them, and docs/workflows.md counts their state transitions (what
 * Step Functions bills) from them.
 */
const start = [STATES.recordWorkflow, STATES.reopened, STATES.screen, STATES.awaitAssessment, STATES.dischargedMeanwhile, STATES.buildPlan, STATES.postAcute];
const discharge = [STATES.recordDischarge, STATES.died, STATES.sendTransitionRecord, STATES.startFollowUp, STATES.done];
const check = [STATES.checkRequirements, STATES.readyForDischarge];
/** One round of referrals to `providers` providers at once (each waits in its own Map iteration). */
const referralRound = (providers: number) => [
  STATES.pickProviders,
  STATES.providersLeft,
  STATES.sendReferrals,
  ...Array<string>(providers).fill(STATES.awaitProvider),
  STATES.tallyReferrals,
  STATES.providerAccepted,
];

export const DISCHARGE_PLANNING_PATHS = {
  home: {
    description: 'Home, everything on record before the order',
    states: [...start, STATES.awaitOrder, ...check, ...discharge],
  },
  postAcute: {
    description: 'Post-acute care (home health, SNF, IRF, LTCH, hospice): choice list, the one provider chosen accepts, then as home',
    states: [...start, STATES.offerChoice, STATES.awaitChoice, ...referralRound(1), STATES.awaitOrder, ...check, ...discharge],
  },
  declineThenAccept: {
    description: 'Home health: both chosen agencies asked at once, one declines, one accepts (the fan-out)',
    states: [...start, STATES.offerChoice, STATES.awaitChoice, ...referralRound(2), STATES.awaitOrder, ...check, ...discharge],
  },
  secondRound: {
    description: 'The chosen provider declines; the next round asks the rest of the list (3 at a time), one accepts',
    states: [...start, STATES.offerChoice, STATES.awaitChoice, ...referralRound(1), ...referralRound(2), STATES.awaitOrder, ...check, ...discharge],
  },
  receivingFacilitySilent: {
    description: 'SNF: the chosen facility does not answer in time (a silence counts as a decline); the next round asks the rest of the list, one accepts',
    states: [
      ...start, STATES.offerChoice, STATES.awaitChoice,
      STATES.pickProviders, STATES.providersLeft, STATES.sendReferrals, STATES.awaitProvider, STATES.providerSilent, STATES.tallyReferrals, STATES.providerAccepted,
      ...referralRound(1), STATES.awaitOrder, ...check, ...discharge,
    ],
  },
  missingElements: {
    description: 'Discharge ordered with CMS elements missing: one round of "Await missing discharge elements"',
    states: [...start, STATES.awaitOrder, ...check, STATES.awaitRequirements, ...check, ...discharge],
  },
  interactionReview: {
    description: 'A high-severity interaction: one round of "Await pharmacist review"',
    states: [...start, STATES.awaitOrder, ...check, STATES.awaitPharmacist, ...check, ...discharge],
  },
  againstMedicalAdvice: {
    description: 'The feed reports a discharge (e.g. against medical advice) while the assessment is awaited',
    states: [STATES.recordWorkflow, STATES.reopened, STATES.screen, STATES.awaitAssessment, STATES.dischargedMeanwhile, STATES.takeAdtDischarge, ...discharge],
  },
  death: {
    description: 'The feed reports a death while the order is awaited: documented, planning closed',
    states: [...start, STATES.awaitOrder, ...check, STATES.recordDischarge, STATES.died, STATES.closedAfterDeath],
  },
  reopened: {
    description: 'Reopened after a cancelled discharge (A13), plan on record: from the discharge order',
    states: [STATES.recordWorkflow, STATES.reopened, STATES.awaitOrder, ...check, ...discharge],
  },
} satisfies Record<string, { description: string; states: string[] }>;
