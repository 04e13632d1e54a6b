import type { Recorder, Role } from '../access';
import { ValidationError } from '../errors';
import {
  allergyListStatus,
  checkAllergies,
  uncheckedAllergies,
  type AllergyAlert,
  type AllergyList,
  type AllergyListStatus,
} from './allergies';
import { INTERACTION_RULES, type InteractionRule, type Severity } from './interaction-table';
import { classMembers, ingredientByRxcui, ingredientsOf, INGREDIENTS, type Ingredient } from './vocabulary';

/**
 * Medication reconciliation at discharge: every home and discharge medication gets a decision
 * (continued, changed, new, stopped) with a reason, and the discharge list is checked for
 * interactions. A high-severity pair blocks discharge until a pharmacist or physician
 * acknowledges it with a reason.
 */
export const MEDICATION_DECISIONS = ['continued', 'changed', 'new', 'stopped'] as const;
export type MedicationDecision = (typeof MEDICATION_DECISIONS)[number];

export interface Regimen {
  dose: string;
  route?: string;
  frequency?: string;
}

/** A medication as the request gives it: a name as written (generic, brand, salt, combination) and/or an RxNorm ingredient code. */
export interface MedicationInput {
  drug?: string;
  rxcui?: string;
  decision: MedicationDecision;
  home?: Regimen;
  discharge?: Regimen;
  reason: string;
}

/** A pharmacist's confirmation of a medication the vocabulary does not know (so no check could be run on it). */
export interface Confirmation {
  by: Recorder;
  reason: string;
  at: string;
}

export interface ReconciledMedication extends MedicationInput {
  /** As written, or the ingredient names when only an RxCUI was given. */
  drug: string;
  /** What the checks compared: the ingredients the name or code stands for (empty when unrecognised). */
  ingredients?: Array<{ name: string; rxcui?: string }>;
  /** False when the vocabulary does not know the drug: reported, never silently passed. */
  recognised?: boolean;
  confirmation?: Confirmation;
}

export interface Interaction {
  /** Stable for the same rule and drugs, so an acknowledgement survives a re-reconciliation. */
  interactionId: string;
  ruleId: string;
  /** Ingredient names, sorted: two, or three for a three-way rule. */
  drugs: string[];
  severity: Severity;
  reason: string;
  source: string;
  acknowledgement?: Acknowledgement;
}

export type { Recorder };

export interface Acknowledgement {
  by: Recorder;
  reason: string;
  at: string;
}

/** Roles whose token may acknowledge a high-severity interaction (a physician stands in for the pharmacist). */
export const HIGH_SEVERITY_ACKNOWLEDGERS: readonly Role[] = ['pharmacist', 'physician'];

/** Anyone on the medications route may note a moderate interaction; a high-severity one needs a pharmacist or physician. */
export const mayAcknowledge = (roles: readonly Role[], severity: Severity): boolean =>
  severity !== 'high' || roles.some((role) => HIGH_SEVERITY_ACKNOWLEDGERS.includes(role));

export interface MedicationReconciliation {
  medications: ReconciledMedication[];
  interactions: Interaction[];
  /** Drugs going home that match an active allergy of the patient, or cross-react with one. */
  allergyAlerts?: Array<AllergyAlert & { acknowledgement?: Acknowledgement }>;
  /** Which allergy list the check read (its version), and what it could not check. */
  allergyCheck?: AllergyCheck;
  /** Two active drugs of one class, or one ingredient twice (e.g. a brand and its generic). */
  duplications?: Duplication[];
  /**
   * `blocked` while a high-severity interaction or allergy alert is unacknowledged; else `incomplete` while a drug
   * the vocabulary does not know awaits a pharmacist's confirmation; else `complete`.
   */
  status: 'complete' | 'blocked' | 'incomplete';
  reconciledBy: Recorder;
  reconciledAt: string;
}

export interface AllergyCheck {
  /** `not-asked`: the patient has no allergy list yet, so nothing could be checked. */
  listStatus: AllergyListStatus;
  listVersion: number;
  /** Drug allergies the vocabulary does not know: not checked, and shown as such. */
  unchecked: string[];
}

export interface Duplication {
  /** `ingredient:<name>` or `class:<name>`. */
  kind: 'ingredient' | 'class';
  name: string;
  drugs: string[];
  reason: string;
}

/** Classes where two at once is almost always an error (therapeutic duplication); a site extends it. */
export const DUPLICATION_CLASSES: readonly string[] = [
  'anticoagulant',
  'nsaid',
  'opioid-analgesic',
  'benzodiazepine',
  'proton-pump-inhibitor',
  'ssri',
  'snri',
  'ace-inhibitor',
  'arb',
  'beta-blocker',
  'statin',
  'p2y12-inhibitor',
  'potassium-sparing-diuretic',
];

export interface DecisionProblem {
  index: number;
  field: 'home' | 'discharge';
  reason: string;
}

/** What each decision needs: new → discharge only; stopped → home only; continued/changed → both. */
export function decisionProblems(medications: readonly MedicationInput[]): DecisionProblem[] {
  return medications.flatMap((m, index): DecisionProblem[] => {
    const needsHome = m.decision !== 'new';
    const needsDischarge = m.decision !== 'stopped';
    const problems: DecisionProblem[] = [];
    if (needsHome && !m.home) problems.push({ index, field: 'home', reason: `is required when the decision is ${m.decision}` });
    if (!needsHome && m.home) problems.push({ index, field: 'home', reason: 'must be absent for a new medication' });
    if (needsDischarge && !m.discharge)
      problems.push({ index, field: 'discharge', reason: `is required when the decision is ${m.decision}` });
    if (!needsDischarge && m.discharge) problems.push({ index, field: 'discharge', reason: 'must be absent for a stopped medication' });
    if (m.decision === 'changed' && m.home && m.discharge && JSON.stringify(m.home) === JSON.stringify(m.discharge)) {
      problems.push({ index, field: 'discharge', reason: 'is the same as home: the decision is continued, not changed' });
    }
    return problems;
  });
}

/** One side of a rule: an ingredient, `class:<name>`, or alternatives joined by `|`. */
function matches(side: string, ingredient: string): boolean {
  return side
    .split('|')
    .some((alternative) =>
      alternative.startsWith('class:') ? classMembers(alternative.slice('class:'.length)).includes(ingredient) : alternative === ingredient,
    );
}

/** Every way to give each side of a rule its own ingredient from the list (sorted, so ids are stable). */
function assignments(sides: readonly string[], list: readonly string[], taken: readonly string[] = []): string[][] {
  if (sides.length === 0) return [[]];
  const [first, ...rest] = sides;
  return list
    .filter((ingredient) => !taken.includes(ingredient) && matches(first!, ingredient))
    .flatMap((ingredient) => assignments(rest, list, [...taken, ingredient]).map((tail) => [ingredient, ...tail]));
}

/**
 * Every rule the ingredients on the list fall under: one line per rule and set of distinct
 * ingredients (a pair, or three for a three-way rule). Input: ingredient names, or names as written
 * (normalised here; unknown names are skipped: reconcile reports them).
 */
export function findInteractions(
  drugs: readonly string[],
  rules: readonly InteractionRule[] = INTERACTION_RULES,
): Omit<Interaction, 'acknowledgement'>[] {
  const list = [...new Set(drugs.flatMap((drug) => (ingredientsOf(drug) ?? []).map((ingredient) => ingredient.name)))].sort();
  const found = new Map<string, Omit<Interaction, 'acknowledgement'>>();
  for (const rule of rules) {
    for (const set of assignments(rule.sides, list)) {
      const names = [...set].sort();
      const interactionId = `${rule.id}:${names.join('+')}`;
      if (!found.has(interactionId))
        found.set(interactionId, {
          interactionId,
          ruleId: rule.id,
          drugs: names,
          severity: rule.severity,
          reason: rule.reason,
          source: rule.source,
        });
    }
  }
  return [...found.values()];
}

/** A medication as the vocabulary reads it: by RxCUI when given and known, else by the name as written. */
export function normalise(input: MedicationInput): ReconciledMedication {
  const byCode = input.rxcui ? ingredientByRxcui(input.rxcui) : undefined;
  const found: Ingredient[] | undefined = byCode
    ? [byCode]
    : input.rxcui && !input.drug
      ? undefined
      : input.drug
        ? ingredientsOf(input.drug)
        : undefined;
  const drug = input.drug ?? (found ? found.map((ingredient) => ingredient.name).join(' / ') : `RxCUI ${input.rxcui}`);
  // Only what a request carries: a stored medication passed back in keeps no stale results.
  const {
    ingredients: _ingredients,
    recognised: _recognised,
    confirmation: _confirmation,
    ...given
  } = input as Partial<ReconciledMedication> & MedicationInput;
  return {
    ...given,
    drug,
    ingredients: (found ?? []).map((ingredient) => ({ name: ingredient.name, ...(ingredient.rxcui ? { rxcui: ingredient.rxcui } : {}) })),
    recognised: !!found,
  };
}

/** The drugs the patient goes home on. */
export const dischargeList = (medications: readonly ReconciledMedication[]) => medications.filter((m) => m.decision !== 'stopped');

/** Ingredient names of a medication (for one stored before normalisation: its name read now). */
const ingredientNames = (m: ReconciledMedication): string[] =>
  m.ingredients ? m.ingredients.map((ingredient) => ingredient.name) : (ingredientsOf(m.drug) ?? []).map((ingredient) => ingredient.name);

/** The same ingredient on two lines, or two ingredients of a duplication class, on the discharge list. */
export function findDuplications(medications: readonly ReconciledMedication[]): Duplication[] {
  const active = dischargeList(medications);
  const found: Duplication[] = [];
  const byIngredient = new Map<string, string[]>();
  for (const m of active)
    for (const name of new Set(ingredientNames(m))) byIngredient.set(name, [...(byIngredient.get(name) ?? []), m.drug]);
  for (const [name, drugs] of byIngredient) {
    if (drugs.length > 1) found.push({ kind: 'ingredient', name, drugs, reason: `${name} is on the list ${drugs.length} times` });
  }
  const classOf = new Map(INGREDIENTS.map((ingredient) => [ingredient.name, ingredient.classes]));
  for (const className of DUPLICATION_CLASSES) {
    const lines = active.filter((m) => ingredientNames(m).some((name) => classOf.get(name)?.includes(className)));
    const distinct = new Set(lines.flatMap((m) => ingredientNames(m).filter((name) => classOf.get(name)?.includes(className))));
    if (lines.length > 1 && distinct.size > 1)
      found.push({
        kind: 'class',
        name: className,
        drugs: lines.map((m) => m.drug),
        reason: `Two or more ${className} drugs: therapeutic duplication`,
      });
  }
  return found;
}

/** Medications going home that the vocabulary does not know and no pharmacist has confirmed. */
export const unconfirmedMedications = (reconciliation: { medications: readonly ReconciledMedication[] }): ReconciledMedication[] =>
  dischargeList(reconciliation.medications).filter((m) => m.recognised === false && !m.confirmation);

function statusOf(
  interactions: readonly Interaction[],
  medications: readonly ReconciledMedication[],
  allergyAlerts: MedicationReconciliation['allergyAlerts'] = [],
): MedicationReconciliation['status'] {
  if (interactions.some((i) => i.severity === 'high' && !i.acknowledgement)) return 'blocked';
  if (allergyAlerts.some((a) => a.severity === 'high' && !a.acknowledgement)) return 'blocked';
  return unconfirmedMedications({ medications }).length > 0 ? 'incomplete' : 'complete';
}

/** Roles whose token may confirm a drug the vocabulary does not know. */
export const CONFIRMING_ROLES: readonly Role[] = ['pharmacist'];
export const mayConfirm = (roles: readonly Role[]): boolean => roles.some((role) => CONFIRMING_ROLES.includes(role));

/** Stored before identity came from the token (a self-declared role): not carried over, so it is acknowledged again. */
const verified = (acknowledgement: Acknowledgement | undefined): acknowledgement is Acknowledgement =>
  !!acknowledgement && typeof acknowledgement.by === 'object' && Array.isArray(acknowledgement.by.roles);

/**
 * A new reconciliation, checked against the patient's allergy list as it is now (`allergies`
 * undefined: none recorded yet); acknowledgements of interactions and allergy alerts still present
 * carry over.
 */
export function reconcile(
  inputs: readonly MedicationInput[],
  reconciledBy: Recorder,
  now: Date,
  previous?: MedicationReconciliation,
  allergies?: AllergyList,
): MedicationReconciliation {
  const acknowledged = new Map(
    [
      ...(previous?.interactions ?? []).map((i) => [i.interactionId, i.acknowledgement] as const),
      ...(previous?.allergyAlerts ?? []).map((a) => [a.alertId, a.acknowledgement] as const),
    ].filter((entry): entry is readonly [string, Acknowledgement] => verified(entry[1])),
  );
  // A confirmation stays with the same name as written while it stays unrecognised.
  const confirmed = new Map(
    (previous?.medications ?? []).filter((m) => m.confirmation).map((m) => [m.drug.trim().toLowerCase(), m.confirmation!]),
  );
  const medications = inputs.map((input) => {
    const m = normalise(input);
    const confirmation = m.recognised ? undefined : confirmed.get(m.drug.trim().toLowerCase());
    return confirmation ? { ...m, confirmation } : m;
  });
  const active = dischargeList(medications).flatMap(ingredientNames);
  const interactions = findInteractions(active).map((i): Interaction => {
    const acknowledgement = acknowledged.get(i.interactionId);
    return acknowledgement ? { ...i, acknowledgement } : i;
  });
  const { allergyAlerts, allergyCheck } = allergyParts(medications, allergies, acknowledged);
  return {
    medications,
    interactions,
    allergyAlerts,
    allergyCheck,
    duplications: findDuplications(medications),
    status: statusOf(interactions, medications, allergyAlerts),
    reconciledBy,
    reconciledAt: now.toISOString(),
  };
}

function allergyParts(
  medications: readonly ReconciledMedication[],
  allergies: AllergyList | undefined,
  acknowledged: ReadonlyMap<string, Acknowledgement>,
) {
  const allergyAlerts = checkAllergies(medications, allergies).map((alert) => {
    const acknowledgement = acknowledged.get(alert.alertId);
    return acknowledgement ? { ...alert, acknowledgement } : alert;
  });
  const allergyCheck: AllergyCheck = {
    listStatus: allergyListStatus(allergies),
    listVersion: allergies?.version ?? 0,
    unchecked: uncheckedAllergies(allergies),
  };
  return { allergyAlerts, allergyCheck };
}

/**
 * A stored reconciliation checked again against a changed allergy list: the same medications and
 * interactions, new allergy alerts (acknowledgements of alerts still present carry over), and the
 * status that follows. An allergy recorded after the reconciliation blocks discharge as if it had
 * been there.
 */
export function recheckAllergies(current: MedicationReconciliation, allergies: AllergyList): MedicationReconciliation {
  const acknowledged = new Map(
    (current.allergyAlerts ?? []).filter((a) => verified(a.acknowledgement)).map((a) => [a.alertId, a.acknowledgement!]),
  );
  const { allergyAlerts, allergyCheck } = allergyParts(current.medications, allergies, acknowledged);
  return { ...current, allergyAlerts, allergyCheck, status: statusOf(current.interactions, current.medications, allergyAlerts) };
}

/** The interaction an acknowledgement names, or a 400 naming `interactionId`. */
export function interactionOf(current: MedicationReconciliation, interactionId: string): Interaction {
  const found = current.interactions.find((i) => i.interactionId === interactionId);
  if (!found) {
    throw new ValidationError('No such interaction on the current reconciliation', [
      { field: 'interactionId', reason: 'is not an interaction of the current reconciliation' },
    ]);
  }
  return found;
}

/**
 * The acknowledgement of one interaction. Whether the caller may give it (mayAcknowledge) is
 * checked by the caller of this function against the token's roles, never the body's.
 */
export function acknowledge(
  current: MedicationReconciliation,
  interactionId: string,
  acknowledgement: Acknowledgement,
): MedicationReconciliation {
  interactionOf(current, interactionId);
  const interactions = current.interactions.map((i) => (i.interactionId === interactionId ? { ...i, acknowledgement } : i));
  return { ...current, interactions, status: statusOf(interactions, current.medications, current.allergyAlerts) };
}

/** The allergy alert an acknowledgement names, or a 400 naming `allergyAlertId`. */
export function allergyAlertOf(current: MedicationReconciliation, alertId: string): AllergyAlert {
  const found = (current.allergyAlerts ?? []).find((a) => a.alertId === alertId);
  if (!found) {
    throw new ValidationError('No such allergy alert on the current reconciliation', [
      { field: 'allergyAlertId', reason: 'is not an allergy alert of the current reconciliation' },
    ]);
  }
  return found;
}

/** The acknowledgement of one allergy alert; who may give it is checked by the caller (mayAcknowledge on the alert's severity). */
export function acknowledgeAllergyAlert(
  current: MedicationReconciliation,
  alertId: string,
  acknowledgement: Acknowledgement,
): MedicationReconciliation {
  allergyAlertOf(current, alertId);
  const allergyAlerts = (current.allergyAlerts ?? []).map((a) => (a.alertId === alertId ? { ...a, acknowledgement } : a));
  return { ...current, allergyAlerts, status: statusOf(current.interactions, current.medications, allergyAlerts) };
}

/** A pharmacist's confirmation of an unrecognised medication on the list, named as written. */
export function confirmMedication(current: MedicationReconciliation, drug: string, confirmation: Confirmation): MedicationReconciliation {
  const key = drug.trim().toLowerCase();
  if (!unconfirmedMedications(current).some((m) => m.drug.trim().toLowerCase() === key)) {
    throw new ValidationError('No such unrecognised medication awaits confirmation', [
      { field: 'drug', reason: 'is not an unconfirmed, unrecognised medication of the current reconciliation' },
    ]);
  }
  const medications = current.medications.map((m) =>
    m.drug.trim().toLowerCase() === key && m.recognised === false ? { ...m, confirmation } : m,
  );
  return { ...current, medications, status: statusOf(current.interactions, medications, current.allergyAlerts) };
}
