import type { Role } from '../access';
import { ValidationError } from '../errors';
import { DRUG_CLASSES, INTERACTION_RULES, type InteractionRule, type Severity } from './interaction-table';

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

export interface ReconciledMedication {
  /** Generic name, e.g. "sertraline"; compared case-insensitively. */
  drug: string;
  decision: MedicationDecision;
  home?: Regimen;
  discharge?: Regimen;
  reason: string;
}

export interface Interaction {
  /** Stable for the same rule and drugs, so an acknowledgement survives a re-reconciliation. */
  interactionId: string;
  ruleId: string;
  drugs: [string, string];
  severity: Severity;
  reason: string;
  source: string;
  acknowledgement?: Acknowledgement;
}

/**
 * Who did something, as the verified token says (client, and person for people's tokens, and the
 * token's roles). `name` is a display name the client typed: shown, never trusted, grants nothing.
 */
export interface Recorder {
  who: string;
  roles: Role[];
  name?: string;
}

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
  /** `blocked` while a high-severity interaction is unacknowledged. */
  status: 'complete' | 'blocked';
  reconciledBy: Recorder;
  reconciledAt: string;
}

export interface DecisionProblem {
  index: number;
  field: 'home' | 'discharge';
  reason: string;
}

const normal = (drug: string) => drug.trim().toLowerCase();

/** What each decision needs: new → discharge only; stopped → home only; continued/changed → both. */
export function decisionProblems(medications: readonly ReconciledMedication[]): DecisionProblem[] {
  return medications.flatMap((m, index): DecisionProblem[] => {
    const needsHome = m.decision !== 'new';
    const needsDischarge = m.decision !== 'stopped';
    const problems: DecisionProblem[] = [];
    if (needsHome && !m.home) problems.push({ index, field: 'home', reason: `is required when the decision is ${m.decision}` });
    if (!needsHome && m.home) problems.push({ index, field: 'home', reason: 'must be absent for a new medication' });
    if (needsDischarge && !m.discharge) problems.push({ index, field: 'discharge', reason: `is required when the decision is ${m.decision}` });
    if (!needsDischarge && m.discharge) problems.push({ index, field: 'discharge', reason: 'must be absent for a stopped medication' });
    if (m.decision === 'changed' && m.home && m.discharge && JSON.stringify(m.home) === JSON.stringify(m.discharge)) {
      problems.push({ index, field: 'discharge', reason: 'is the same as home: the decision is continued, not changed' });
    }
    return problems;
  });
}

function matches(side: string, drug: string): boolean {
  if (side.startsWith('class:')) return (DRUG_CLASSES[side.slice('class:'.length)] ?? []).includes(drug);
  return side === drug;
}

/** Every rule each pair of distinct drugs on the list falls under (one line per pair and rule). */
export function findInteractions(drugs: readonly string[], rules: readonly InteractionRule[] = INTERACTION_RULES): Omit<Interaction, 'acknowledgement'>[] {
  const list = [...new Set(drugs.map(normal))].sort();
  const found: Omit<Interaction, 'acknowledgement'>[] = [];
  for (let i = 0; i < list.length; i += 1) {
    for (let j = i + 1; j < list.length; j += 1) {
      const [x, y] = [list[i]!, list[j]!];
      for (const rule of rules) {
        if ((matches(rule.a, x) && matches(rule.b, y)) || (matches(rule.a, y) && matches(rule.b, x))) {
          found.push({ interactionId: `${rule.id}:${x}+${y}`, ruleId: rule.id, drugs: [x, y], severity: rule.severity, reason: rule.reason, source: rule.source });
        }
      }
    }
  }
  return found;
}

/** The drugs the patient goes home on. */
export const dischargeList = (medications: readonly ReconciledMedication[]) => medications.filter((m) => m.decision !== 'stopped').map((m) => m.drug);

const statusOf = (interactions: readonly Interaction[]): MedicationReconciliation['status'] =>
  interactions.some((i) => i.severity === 'high' && !i.acknowledgement) ? 'blocked' : 'complete';

/** Stored before identity came from the token (a self-declared role): not carried over, so it is acknowledged again. */
const verified = (acknowledgement: Acknowledgement | undefined): acknowledgement is Acknowledgement =>
  !!acknowledgement && typeof acknowledgement.by === 'object' && Array.isArray(acknowledgement.by.roles);

/** A new reconciliation; acknowledgements of interactions still present carry over. */
export function reconcile(medications: ReconciledMedication[], reconciledBy: Recorder, now: Date, previous?: MedicationReconciliation): MedicationReconciliation {
  const acknowledged = new Map((previous?.interactions ?? []).filter((i) => verified(i.acknowledgement)).map((i) => [i.interactionId, i.acknowledgement!]));
  const interactions = findInteractions(dischargeList(medications)).map((i): Interaction => {
    const acknowledgement = acknowledged.get(i.interactionId);
    return acknowledgement ? { ...i, acknowledgement } : i;
  });
  return { medications, interactions, status: statusOf(interactions), reconciledBy, reconciledAt: now.toISOString() };
}

/** The interaction an acknowledgement names, or a 400 naming `interactionId`. */
export function interactionOf(current: MedicationReconciliation, interactionId: string): Interaction {
  const found = current.interactions.find((i) => i.interactionId === interactionId);
  if (!found) {
    throw new ValidationError('No such interaction on the current reconciliation', [{ field: 'interactionId', reason: 'is not an interaction of the current reconciliation' }]);
  }
  return found;
}

/**
 * The acknowledgement of one interaction. Whether the caller may give it (mayAcknowledge) is
 * checked by the caller of this function against the token's roles, never the body's.
 */
export function acknowledge(current: MedicationReconciliation, interactionId: string, acknowledgement: Acknowledgement): MedicationReconciliation {
  interactionOf(current, interactionId);
  const interactions = current.interactions.map((i) => (i.interactionId === interactionId ? { ...i, acknowledgement } : i));
  return { ...current, interactions, status: statusOf(interactions) };
}
