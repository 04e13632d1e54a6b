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
