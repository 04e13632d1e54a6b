/**
 * Duplicate-order checks (DOMAIN.md §6): a test or procedure repeated within its minimum retest
 * interval, by any practitioner, is a duplicate. It is a hard stop: the order is refused with the
 * earlier one, and placing it anyway needs a written reason (hard stops with a justification
 * avoid far more duplicates than warnings that can be clicked away).
 */
export const CODE_SYSTEMS = { loinc: 'http://loinc.org', cpt: 'http://www.ama-assn.org/go/cpt' } as const;
export type CodeSystem = (typeof CODE_SYSTEMS)[keyof typeof CODE_SYSTEMS];

export interface OrderCode {
  system: CodeSystem;
  code: string;
  display?: string;
}

export interface DuplicateRule {
  /** Stable id: orders of one rule are compared with each other. */
  id: string;
  label: string;
  /** Codes that count as the same test (e.g. TSH and free T4 are both "thyroid function"). */
  codes: ReadonlyArray<Pick<OrderCode, 'system' | 'code'>>;
  minIntervalHours: number;
  source: string;
}

const loinc = (...codes: string[]) => codes.map((code) => ({ system: CODE_SYSTEMS.loinc, code }));
const cpt = (...codes: string[]) => codes.map((code) => ({ system: CODE_SYSTEMS.cpt, code }));
const DAY = 24;

/**
 * Minimum retest intervals, as data: the published examples of DOMAIN.md §6 plus one site rule.
 * A site replaces or extends this table; intervals are advisory defaults, not clinical advice.
 */
export const DUPLICATE_RULES: readonly DuplicateRule[] = [
  { id: 'thyroid-function', label: 'Thyroid function', codes: loinc('3016-3', '3024-7', '3026-2', '3051-0'), minIntervalHours: 28 * DAY, source: 'DOMAIN.md §6' },
  { id: 'crp', label: 'C-reactive protein', codes: loinc('1988-5', '30522-7'), minIntervalHours: 2 * DAY, source: 'DOMAIN.md §6' },
  // The range published is 60–90 days; the shorter bound refuses fewer legitimate repeats.
  { id: 'hba1c', label: 'Haemoglobin A1c', codes: loinc('4548-4', '17856-6'), minIntervalHours: 60 * DAY, source: 'DOMAIN.md §6' },
  { id: 'tumour-markers', label: 'Tumour markers', codes: loinc('2039-6', '2857-1', '10334-1', '24108-3'), minIntervalHours: 21 * DAY, source: 'DOMAIN.md §6' },
  { id: 'ferritin', label: 'Ferritin', codes: loinc('2276-4'), minIntervalHours: 28 * DAY, source: 'DOMAIN.md §6' },
  { id: 'lipid-panel', label: 'Lipid panel', codes: loinc('57698-3', '24331-1', '2093-3'), minIntervalHours: 28 * DAY, source: 'DOMAIN.md §6' },
  { id: 'liver-function', label: 'Liver function', codes: loinc('24325-3'), minIntervalHours: 1 * DAY, source: 'DOMAIN.md §6' },
  { id: 'ecg', label: '12-lead ECG (site rule)', codes: [...cpt('93000', '93005'), ...loinc('11524-6')], minIntervalHours: 1 * DAY, source: 'site configuration' },
];

/** The rule an order code falls under, if any. */
export function ruleFor(code: Pick<OrderCode, 'system' | 'code'>, rules: readonly DuplicateRule[] = DUPLICATE_RULES): DuplicateRule | undefined {
  return rules.find((rule) => rule.codes.some((c) => c.system === code.system && c.code === code.code));
}

export interface Order {
  orderId: string;
  facilityId: string;
  patientId: string;
  encounterId: string;
  /** The ordering system's own order number (HL7 ORC-2): the same number again is the same order. */
  placerOrderNumber: string;
  code: OrderCode;
  orderingPractitioner: { id: string; name?: string };
  orderedAt: string;
  /** The rule it was checked against, when one applies. */
  ruleId?: string;
  /** Placed although it repeats an earlier order: the reason and which order it repeats. */
  duplicateOverride?: { reason: string; earlierOrderId: string };
}

export type DuplicateCheck =
  | { duplicate: false }
  | { duplicate: true; rule: DuplicateRule; earlierOrder: Order; allowedFrom: string };

/**
 * Is `orderedAt` within the rule's interval of an earlier order of the same rule? `recent` holds
 * the patient's orders under that rule (any practitioner, any stay); the newest earlier one counts.
 */
export function checkDuplicate(candidate: { code: OrderCode; orderedAt: string }, recent: readonly Order[], rules: readonly DuplicateRule[] = DUPLICATE_RULES): DuplicateCheck {
  const rule = ruleFor(candidate.code, rules);
  if (!rule) return { duplicate: false };
  const at = Date.parse(candidate.orderedAt);
  const windowMs = rule.minIntervalHours * 3_600_000;
  const earlier = recent
    .filter((order) => ruleFor(order.code, rules)?.id === rule.id)
    .filter((order) => Date.parse(order.orderedAt) <= at && at - Date.parse(order.orderedAt) < windowMs)
    .sort((a, b) => Date.parse(b.orderedAt) - Date.parse(a.orderedAt))[0];
  if (!earlier) return { duplicate: false };
  return { duplicate: true, rule, earlierOrder: earlier, allowedFrom: new Date(Date.parse(earlier.orderedAt) + windowMs).toISOString() };
}

/** How far back the store must look for a code: the longest interval that could apply. */
export function lookBackHours(code: Pick<OrderCode, 'system' | 'code'>, rules: readonly DuplicateRule[] = DUPLICATE_RULES): number {
  return ruleFor(code, rules)?.minIntervalHours ?? 0;
}
