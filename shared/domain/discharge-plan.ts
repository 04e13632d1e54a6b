/**
 * The post-acute path a patient leaves by. Deciding it from needs is the care manager's call;
 * this rule only proposes the least intensive path that covers the recorded needs.
 */
export const DISCHARGE_PATHS = [
  'home',
  'home-with-services',
  'home-health',
  'skilled-nursing',
  'inpatient-rehab',
  'long-term-care-hospital',
  'hospice',
  'another-hospital',
] as const;
export type DischargePath = (typeof DISCHARGE_PATHS)[number];

/**
 * Where the patient actually went: the planned paths plus what a discharge can also turn out
 * to be (against medical advice, death, another institution). Recorded, never planned.
 */
export const DISCHARGE_DISPOSITIONS = [
  ...DISCHARGE_PATHS,
  'intermediate-care',
  'other-institution',
  'home-iv',
  'left-against-medical-advice',
  'expired',
  'other',
] as const;
export type DischargeDisposition = (typeof DISCHARGE_DISPOSITIONS)[number];

export const ASSESSED_NEEDS = [
  'home-health',
  'skilled-nursing',
  'inpatient-rehab',
  'long-term-acute-care',
  'hospice',
  'durable-medical-equipment',
  'meals',
  'transportation',
  'home-modification',
  'medication-support',
] as const;
export type AssessedNeed = (typeof ASSESSED_NEEDS)[number];

/** Most intensive first: the first need present decides the path. */
const PATH_BY_NEED: ReadonlyArray<readonly [AssessedNeed, DischargePath]> = [
  ['hospice', 'hospice'],
  ['long-term-acute-care', 'long-term-care-hospital'],
  ['inpatient-rehab', 'inpatient-rehab'],
  ['skilled-nursing', 'skilled-nursing'],
  ['home-health', 'home-health'],
];

export interface ProposedPlan {
  path: DischargePath;
  /** Needs met by services arranged around the path (equipment, meals, transport, ...). */
  services: AssessedNeed[];
}

/**
 * The least intensive path that covers the needs; a comfort-focused goal of care makes it
 * hospice whatever the needs (the services around it still come from the needs).
 */
export function proposeDischargePlan(needs: readonly AssessedNeed[], options: { comfortFocused?: boolean } = {}): ProposedPlan {
  const decisive = options.comfortFocused ? (['hospice', 'hospice'] as const) : PATH_BY_NEED.find(([need]) => needs.includes(need));
  const services = needs.filter((need) => !PATH_BY_NEED.some(([n]) => n === need));
  if (decisive) return { path: decisive[1], services };
  return { path: services.length > 0 ? 'home-with-services' : 'home', services };
}

export interface PlanRevision {
  path: DischargePath;
  /** The path planned before the physician ordered another. */
  revisedFrom: DischargePath;
  revisedAt: string;
  /** The discharge-order task whose disposition the plan now follows. */
  revisedForOrder: string;
}

const isPlannedPath = (disposition: DischargeDisposition): disposition is DischargePath =>
  (DISCHARGE_PATHS as readonly string[]).includes(disposition);

/**
 * The plan follows the physician's order (42 CFR 482.43: the plan is revised when the patient's
 * needs change; the order is the last word on them): an ordered path other than the planned one
 * replaces it, and what that path requires (a choice list, referrals, a follow-up visit) is then
 * required. Undefined when nothing changes (no plan, no order, the same path, or a disposition
 * that is no planned path, e.g. against medical advice).
 */
export function planRevisionFor(
  plan: { path: DischargePath } | undefined,
  order: { taskId: string; disposition?: DischargeDisposition | undefined },
  now: Date,
): PlanRevision | undefined {
  const ordered = order.disposition;
  if (!plan || !ordered || !isPlannedPath(ordered) || ordered === plan.path) return undefined;
  return { path: ordered, revisedFrom: plan.path, revisedAt: now.toISOString(), revisedForOrder: order.taskId };
}
