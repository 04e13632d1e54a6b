import type { Recorder } from './access';
/**
 * Duplicate-order checks (DOMAIN.md §6). Each test is its own rule, known by its codes, with its
 * own minimum retest interval; a test repeated within that interval — by any practitioner, in any
 * stay — is a duplicate, and so is a test ordered while an earlier *panel that contains it* is
 * inside the panel's interval (a BMP after a CMP). Tests that are merely ordered together
 * (companions: TSH and free T4, Mg and phosphate) or that reflex from one another (CBC and
 * differential) are different rules, so they never match each other.
 *
 * What a duplicate does depends on the rule: `hard-stop` refuses the order until a written reason
 * is given (hard stops with a justification avoid far more duplicates than warnings that can be
 * clicked away); `warn` places it and says which earlier order it repeats. Tests drawn in series
 * by protocol (troponin at 0/1–3 h, serial ECGs, two sets of blood cultures) warn by default: a
 * hard stop there delays the protocol's second draw. Sources: docs/clinical-safety.md.
 */
export const CODE_SYSTEMS = { loinc: 'http://loinc.org', cpt: 'http://www.ama-assn.org/go/cpt' } as const;
export type CodeSystem = (typeof CODE_SYSTEMS)[keyof typeof CODE_SYSTEMS];

export interface OrderCode {
  system: CodeSystem;
  code: string;
  display?: string;
}

export type RepeatAction = 'hard-stop' | 'warn';

export interface DuplicateRule {
  /** Stable id: orders of one rule are compared with each other. */
  id: string;
  label: string;
  /** Codes that are the same test (e.g. the conventional and the SI-unit LOINC of one analyte). */
  codes: ReadonlyArray<Pick<OrderCode, 'system' | 'code'>>;
  minIntervalHours: number;
  /** What a repeat inside the interval does. */
  onRepeat: RepeatAction;
  /** Protocol-serial tests: repeats are expected (e.g. troponin 0 h / 3 h); why it only warns. */
  serial?: boolean;
  /** Rules whose tests this panel includes: ordering one of them inside this panel's interval repeats it. */
  contains?: readonly string[];
  source: string;
}

const loinc = (...codes: string[]) => codes.map((code) => ({ system: CODE_SYSTEMS.loinc, code }));
const cpt = (...codes: string[]) => codes.map((code) => ({ system: CODE_SYSTEMS.cpt, code }));
const DAY = 24;
const RETEST = 'DOMAIN.md §6; RCPath/ACB national minimum retesting intervals (Lang & Croal 2021)';
const SITE = 'site default (unconfirmed): configuration';
const SERIAL = 'protocol-serial: see docs/clinical-safety.md';

/**
 * Minimum retest intervals, as data. A site replaces or extends this table; intervals are
 * advisory defaults, not clinical advice. A site that wants serial tests to hard-stop sets
 * `onRepeat: 'hard-stop'` on them.
 */
export const DUPLICATE_RULES: readonly DuplicateRule[] = [
  // Thyroid: TSH is the screening test and free T4 its companion (or reflex) — never one another's duplicate.
  { id: 'tsh', label: 'TSH', codes: loinc('3016-3', '11580-8'), minIntervalHours: 28 * DAY, onRepeat: 'hard-stop', source: RETEST },
  { id: 'free-t4', label: 'Free T4', codes: loinc('3024-7', '14920-3'), minIntervalHours: 28 * DAY, onRepeat: 'hard-stop', source: RETEST },
  { id: 'total-t4', label: 'Total T4', codes: loinc('3026-2'), minIntervalHours: 28 * DAY, onRepeat: 'hard-stop', source: RETEST },
  { id: 'free-t3', label: 'Free T3', codes: loinc('3051-0'), minIntervalHours: 28 * DAY, onRepeat: 'hard-stop', source: RETEST },
  {
    id: 'crp',
    label: 'C-reactive protein',
    codes: loinc('1988-5', '30522-7'),
    minIntervalHours: 2 * DAY,
    onRepeat: 'hard-stop',
    source: RETEST,
  },
  // DOMAIN.md gives 60–90 days; monitoring HbA1c reflects ~3 months of glycaemia, so 90 days.
  {
    id: 'hba1c',
    label: 'Haemoglobin A1c',
    codes: loinc('4548-4', '17856-6'),
    minIntervalHours: 90 * DAY,
    onRepeat: 'hard-stop',
    source: RETEST,
  },
  { id: 'psa', label: 'PSA (tumour marker)', codes: loinc('2857-1'), minIntervalHours: 21 * DAY, onRepeat: 'hard-stop', source: RETEST },
  { id: 'cea', label: 'CEA (tumour marker)', codes: loinc('2039-6'), minIntervalHours: 21 * DAY, onRepeat: 'hard-stop', source: RETEST },
  {
    id: 'ca-125',
    label: 'CA 125 (tumour marker)',
    codes: loinc('10334-1'),
    minIntervalHours: 21 * DAY,
    onRepeat: 'hard-stop',
    source: RETEST,
  },
  {
    id: 'ca-19-9',
    label: 'CA 19-9 (tumour marker)',
    codes: loinc('24108-3'),
    minIntervalHours: 21 * DAY,
    onRepeat: 'hard-stop',
    source: RETEST,
  },
  { id: 'ferritin', label: 'Ferritin', codes: loinc('2276-4'), minIntervalHours: 28 * DAY, onRepeat: 'hard-stop', source: RETEST },
  // The lipid panel includes its components: a cholesterol inside the panel's interval repeats it.
  {
    id: 'lipid-panel',
    label: 'Lipid panel',
    codes: loinc('57698-3', '24331-1'),
    minIntervalHours: 28 * DAY,
    onRepeat: 'hard-stop',
    contains: ['cholesterol', 'hdl', 'ldl', 'triglycerides'],
    source: RETEST,
  },
  {
    id: 'cholesterol',
    label: 'Total cholesterol',
    codes: loinc('2093-3'),
    minIntervalHours: 28 * DAY,
    onRepeat: 'hard-stop',
    source: RETEST,
  },
  { id: 'hdl', label: 'HDL cholesterol', codes: loinc('2085-9'), minIntervalHours: 28 * DAY, onRepeat: 'hard-stop', source: RETEST },
  {
    id: 'ldl',
    label: 'LDL cholesterol',
    codes: loinc('13457-7', '18262-6'),
    minIntervalHours: 28 * DAY,
    onRepeat: 'hard-stop',
    source: RETEST,
  },
  {
    id: 'triglycerides',
    label: 'Triglycerides',
    codes: loinc('2571-8'),
    minIntervalHours: 28 * DAY,
    onRepeat: 'hard-stop',
    source: RETEST,
  },
  {
    id: 'liver-function',
    label: 'Liver function',
    codes: loinc('24325-3'),
    minIntervalHours: 1 * DAY,
    onRepeat: 'hard-stop',
    source: RETEST,
  },
  // The CMP is the BMP plus liver tests: a BMP inside the CMP's interval repeats it; a CMP after a BMP adds tests and is not.
  {
    id: 'cmp',
    label: 'Comprehensive metabolic panel',
    codes: loinc('24323-8'),
    minIntervalHours: 12,
    onRepeat: 'hard-stop',
    contains: ['bmp'],
    source: SITE,
  },
  {
    id: 'bmp',
    label: 'Basic metabolic panel',
    codes: loinc('24320-4', '51990-0'),
    minIntervalHours: 12,
    onRepeat: 'hard-stop',
    source: SITE,
  },
  // Protocol-serial tests: warn, never hard-stop, by default.
  {
    id: 'troponin',
    label: 'Troponin (serial draws)',
    codes: loinc('6598-7', '10839-9', '49563-0', '67151-1', '89579-7'),
    minIntervalHours: 24,
    onRepeat: 'warn',
    serial: true,
    source: SERIAL,
  },
  {
    id: 'ecg',
    label: '12-lead ECG (serial)',
    codes: [...cpt('93000', '93005', '93010'), ...loinc('11524-6')],
    minIntervalHours: 1 * DAY,
    onRepeat: 'warn',
    serial: true,
    source: SERIAL,
  },
  {
    id: 'blood-culture',
    label: 'Blood culture (sets drawn in series)',
    codes: [...loinc('600-7'), ...cpt('87040')],
    minIntervalHours: 1 * DAY,
    onRepeat: 'warn',
    serial: true,
    source: SERIAL,
  },
];

/**
 * Tests ordered together or reflexed from one another: each is its own rule (or none), so they
 * never match as duplicates. Kept as data so the tests and the docs name them.
 */
export const COMPANIONS: ReadonlyArray<{
  codes: readonly [Pick<OrderCode, 'system' | 'code'>, Pick<OrderCode, 'system' | 'code'>];
  why: string;
}> = [
  { codes: [loinc('3016-3')[0]!, loinc('3024-7')[0]!], why: 'TSH with free T4 (companion, or reflex on an abnormal TSH)' },
  {
    codes: [loinc('19123-9')[0]!, loinc('2777-1')[0]!],
    why: 'Magnesium with phosphate (ordered together in refeeding and electrolyte replacement)',
  },
  { codes: [loinc('2093-3')[0]!, loinc('2085-9')[0]!], why: 'Lipid components ordered together' },
  { codes: [loinc('58410-2')[0]!, loinc('57023-4')[0]!], why: 'CBC with its differential (reflex)' },
  { codes: [loinc('24320-4')[0]!, loinc('24323-8')[0]!], why: 'A CMP after a BMP adds the liver tests; only a BMP after a CMP repeats' },
];

/** The rule an order code falls under, if any. */
export function ruleFor(
  code: Pick<OrderCode, 'system' | 'code'>,
  rules: readonly DuplicateRule[] = DUPLICATE_RULES,
): DuplicateRule | undefined {
  return rules.find((rule) => rule.codes.some((c) => c.system === code.system && c.code === code.code));
}

/** The rule itself and every panel that contains it: the groups a new order is checked against. */
export function rulesRepeatedBy(rule: DuplicateRule, rules: readonly DuplicateRule[] = DUPLICATE_RULES): DuplicateRule[] {
  return [rule, ...rules.filter((r) => r.contains?.includes(rule.id))];
}

export interface Order {
  orderId: string;
  facilityId: string;
  patientId: string;
  encounterId: string;
  /** The ordering system's own order number (HL7 ORC-2): the same number again is the same order. */
  placerOrderNumber: string;
  code: OrderCode;
  /** Who ordered, as the client says: an attribution (a clerk or an EHR enters a physician's order); grants nothing. */
  orderingPractitioner: { id: string; name?: string };
  /** Who placed it in Carepath, as the token says (absent on orders from before issue 16 item 5). */
  placedBy?: Recorder;
  orderedAt: string;
  /** The rule it was checked against, when one applies. */
  ruleId?: string;
  /** Placed although it repeats an earlier order: the reason and which order it repeats. */
  duplicateOverride?: { reason: string; earlierOrderId: string };
  /** Placed with a warning: a protocol-serial test (or a site's warn-only rule) repeated inside its interval. */
  repeatWarning?: { ruleId: string; earlierOrderId: string; earlierOrderedAt: string; serial: boolean };
}

export type DuplicateCheck =
  | { duplicate: false }
  | { duplicate: true; action: RepeatAction; rule: DuplicateRule; earlierOrder: Order; allowedFrom: string };

/**
 * Is `orderedAt` within the interval of an earlier order of the same rule, or of a panel that
 * contains it? `recent` holds the patient's orders under those rules (any practitioner, any stay);
 * the newest earlier one counts. The answer's `action` says whether it refuses or warns.
 */
export function checkDuplicate(
  candidate: { code: OrderCode; orderedAt: string },
  recent: readonly Order[],
  rules: readonly DuplicateRule[] = DUPLICATE_RULES,
): DuplicateCheck {
  const rule = ruleFor(candidate.code, rules);
  if (!rule) return { duplicate: false };
  const at = Date.parse(candidate.orderedAt);
  const hits = rulesRepeatedBy(rule, rules).flatMap((matching) => {
    const windowMs = matching.minIntervalHours * 3_600_000;
    return recent
      .filter((order) => ruleFor(order.code, rules)?.id === matching.id)
      .filter((order) => Date.parse(order.orderedAt) <= at && at - Date.parse(order.orderedAt) < windowMs)
      .map((order) => ({ matching, order, allowedFrom: Date.parse(order.orderedAt) + windowMs }));
  });
  const newest = hits.sort((a, b) => Date.parse(b.order.orderedAt) - Date.parse(a.order.orderedAt))[0];
  if (!newest) return { duplicate: false };
  // The action is the ordered test's own: a serial test warns even when a panel holds it.
  return {
    duplicate: true,
    action: rule.onRepeat,
    rule: newest.matching,
    earlierOrder: newest.order,
    allowedFrom: new Date(newest.allowedFrom).toISOString(),
  };
}

/** How far back the store must look for a rule's group. */
export function lookBackHours(rule: DuplicateRule): number {
  return rule.minIntervalHours;
}

/**
 * When an order may say it was signed: not more than the API's clock skew ahead of now, and not
 * before the stay's admission (an order belongs to the stay it is placed on).
 */
export function orderedAtProblem(orderedAt: string, admittedAt: string, now: Date, skewMs: number): string | undefined {
  const at = Date.parse(orderedAt);
  if (at > now.getTime() + skewMs) return 'must not be in the future';
  if (at < Date.parse(admittedAt)) return `must not be before the stay's admission (${admittedAt})`;
  return undefined;
}
