import { STATES } from './definition';

/**
 * The paths Discharge Planning is designed to take, state by state. The workflow tests check
 * real executions against them, and docs/workflows.md counts their state transitions (what
 * Step Functions bills) from them.
 */
const start = [
  STATES.recordWorkflow,
  STATES.reopened,
  STATES.screen,
  STATES.awaitAssessment,
  STATES.dischargedMeanwhile,
  STATES.buildPlan,
  STATES.postAcute,
];
const discharge = [STATES.recordDischarge, STATES.died, STATES.sendTransitionRecord, STATES.startFollowUp, STATES.done];
const check = [STATES.checkRequirements, STATES.readyForDischarge];
/** The physician's order, and the question whether the patient died or left against advice. */
const order = [STATES.awaitOrder, STATES.diedOrLeft];
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
    states: [...start, ...order, ...check, ...discharge],
  },
  postAcute: {
    description: 'Post-acute care (home health, SNF, IRF, LTCH, hospice): choice list, the one provider chosen accepts, then as home',
    states: [...start, STATES.offerChoice, STATES.awaitChoice, ...referralRound(1), ...order, ...check, ...discharge],
  },
  declineThenAccept: {
    description: 'Home health: both chosen agencies asked at once, one declines, one accepts (the fan-out)',
    states: [...start, STATES.offerChoice, STATES.awaitChoice, ...referralRound(2), ...order, ...check, ...discharge],
  },
  secondRound: {
    description: 'The chosen provider declines; the next round asks the rest of the list (3 at a time), one accepts',
    states: [...start, STATES.offerChoice, STATES.awaitChoice, ...referralRound(1), ...referralRound(2), ...order, ...check, ...discharge],
  },
  receivingFacilitySilent: {
    description:
      'SNF: the chosen facility does not answer in time (a silence counts as a decline); the next round asks the rest of the list, one accepts',
    states: [
      ...start,
      STATES.offerChoice,
      STATES.awaitChoice,
      STATES.pickProviders,
      STATES.providersLeft,
      STATES.sendReferrals,
      STATES.awaitProvider,
      STATES.providerSilent,
      STATES.tallyReferrals,
      STATES.providerAccepted,
      ...referralRound(1),
      ...order,
      ...check,
      ...discharge,
    ],
  },
  missingElements: {
    description: 'Discharge ordered with CMS elements missing: one round of "Await missing discharge elements"',
    states: [...start, ...order, ...check, STATES.awaitRequirements, ...check, ...discharge],
  },
  interactionReview: {
    description: 'A high-severity interaction: one round of "Await pharmacist review"',
    states: [...start, ...order, ...check, STATES.awaitPharmacist, ...check, ...discharge],
  },
  againstMedicalAdvice: {
    description: 'The feed reports a discharge (e.g. against medical advice) while the assessment is awaited',
    states: [
      STATES.recordWorkflow,
      STATES.reopened,
      STATES.screen,
      STATES.awaitAssessment,
      STATES.dischargedMeanwhile,
      STATES.takeAdtDischarge,
      ...discharge,
    ],
  },
  death: {
    description: 'The feed reports a death while the order is awaited: documented, planning closed',
    states: [...start, ...order, ...check, STATES.recordDischarge, STATES.died, STATES.closedAfterDeath],
  },
  deathByOrder: {
    description:
      "The physician's discharge order records a death: no requirement check, nobody asked for teach-back or a visit; planning closed",
    states: [...start, ...order, STATES.recordDischarge, STATES.died, STATES.closedAfterDeath],
  },
  leftAgainstAdviceByOrder: {
    description:
      'The order records a departure against medical advice: recorded at once; the transition record still goes to the PCP and the follow-up runs',
    states: [...start, ...order, ...discharge],
  },
  orderChangesPath: {
    description:
      'Plan home, the physician orders a post-acute path: the plan follows the order, back to the choice list and referral, then on with the order given',
    states: [...start, ...order, ...check, STATES.offerChoice, STATES.awaitChoice, ...referralRound(1), ...order, ...check, ...discharge],
  },
  emptyDirectory: {
    description:
      "No provider in the directory serves the facility: the care manager records the patient's own provider (off the list), refers it and records its answer",
    states: [...start, STATES.offerChoice, STATES.awaitChoice, ...referralRound(1), ...order, ...check, ...discharge],
  },
  reopened: {
    description: 'Reopened after a cancelled discharge (A13), plan on record: from the discharge order',
    states: [STATES.recordWorkflow, STATES.reopened, ...order, ...check, ...discharge],
  },
} satisfies Record<string, { description: string; states: string[] }>;
