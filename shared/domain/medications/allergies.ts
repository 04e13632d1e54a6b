import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { ValidationError } from '../errors';
import { CROSS_SENSITIVITY_RULES, type CrossSensitivityRisk, type CrossSensitivityRule } from './allergy-cross-sensitivity';
import type { Recorder } from './reconciliation';
import { classMembers, cleanName, ingredientByRxcui, ingredientsOf } from './vocabulary';

/**
 * A patient's allergy list (FHIR AllergyIntolerance): one record per patient, not per stay, with
 * its own version. "No known drug allergies" is an explicit statement; no list at all means
 * nobody has asked yet, and the two are never confused.
 */
export const ALLERGY_CATEGORIES = ['medication', 'food', 'environment', 'biologic'] as const;
export const ALLERGY_TYPES = ['allergy', 'intolerance'] as const;
export const ALLERGY_SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export const ALLERGY_CRITICALITIES = ['low', 'high', 'unable-to-assess'] as const;
export const ALLERGY_CLINICAL_STATUSES = ['active', 'inactive', 'resolved'] as const;
export const ALLERGY_VERIFICATION_STATUSES = ['unconfirmed', 'confirmed', 'refuted', 'entered-in-error'] as const;

export type AllergyCategory = (typeof ALLERGY_CATEGORIES)[number];

/** One entry as a request gives it. */
export interface AllergyInput {
  /** Absent for a new entry; an existing entry keeps its id. */
  allergyId?: string;
  substance: { text?: string; rxcui?: string };
  category: AllergyCategory;
  type?: (typeof ALLERGY_TYPES)[number];
  /** What happened (FHIR reaction.manifestation text), e.g. "hives", "anaphylaxis". */
  reaction?: string;
  severity?: (typeof ALLERGY_SEVERITIES)[number];
  criticality?: (typeof ALLERGY_CRITICALITIES)[number];
  /** Absent exactly when the entry was entered in error (FHIR ait-1, ait-2). */
  clinicalStatus?: (typeof ALLERGY_CLINICAL_STATUSES)[number];
  verificationStatus: (typeof ALLERGY_VERIFICATION_STATUSES)[number];
  note?: string;
}

/** What the substance is, as the drug vocabulary reads it. */
export interface AllergySubstance {
  text: string;
  rxcui?: string;
  /**
   * `ingredients`: a drug the vocabulary knows; `class`: a drug class ("penicillins", "sulfa");
   * `unrecognised`: a drug the vocabulary does not know, so no check can use it (reported);
   * `not-a-drug`: food, environment, biologic: recorded, never matched against drugs.
   */
  kind: 'ingredients' | 'class' | 'unrecognised' | 'not-a-drug';
  ingredients?: Array<{ name: string; rxcui?: string }>;
  drugClass?: string;
}

export interface AllergyEntry extends Omit<AllergyInput, 'allergyId' | 'substance'> {
  allergyId: string;
  substance: AllergySubstance;
  /** Who recorded this version of the entry, as the token says; an unchanged entry keeps its recorder. */
  recorder: Recorder;
  recordedAt: string;
}

export interface AllergyList {
  patientId: string;
  facilityId: string;
  version: number;
  /** The explicit statement "no known drug allergies" (SNOMED CT 409137002). */
  noKnownDrugAllergies: boolean;
  entries: AllergyEntry[];
  changedBy: Recorder;
  changedAt: string;
}

/** The list as the API shows it: `not-asked` when nothing was ever recorded. */
export type AllergyListStatus = 'not-asked' | 'no-known-drug-allergies' | 'recorded';
export const allergyListStatus = (list: Pick<AllergyList, 'noKnownDrugAllergies'> | undefined): AllergyListStatus =>
  !list ? 'not-asked' : list.noKnownDrugAllergies ? 'no-known-drug-allergies' : 'recorded';

/**
 * Class names people write for a drug allergy, → the vocabulary's class. "Sulfa" on an allergy list
 * means the sulfonamide antibiotics (Strom 2003: non-antibiotic sulfonamides do not cross-react).
 */
export const ALLERGY_CLASS_NAMES: Record<string, string> = {
  penicillins: 'penicillin',
  'penicillin class': 'penicillin',
  cephalosporins: 'cephalosporin',
  cephalosporin: 'cephalosporin',
  carbapenems: 'carbapenem',
  carbapenem: 'carbapenem',
  sulfa: 'sulfonamide-antibiotic',
  'sulfa drugs': 'sulfonamide-antibiotic',
  sulfonamides: 'sulfonamide-antibiotic',
  'sulfonamide antibiotics': 'sulfonamide-antibiotic',
  nsaids: 'nsaid',
  opioids: 'opioid-analgesic',
  benzodiazepines: 'benzodiazepine',
  'ace inhibitors': 'ace-inhibitor',
  statins: 'statin',
};

/** The substance as the vocabulary reads it: by RxCUI when given and known, else by name or class name. */
export function resolveSubstance(substance: AllergyInput['substance'], category: AllergyCategory): AllergySubstance {
  const byCode = substance.rxcui ? ingredientByRxcui(substance.rxcui) : undefined;
  const text = substance.text ?? (byCode ? byCode.name : `RxCUI ${substance.rxcui}`);
  const base = { text, ...(substance.rxcui ? { rxcui: substance.rxcui } : {}) };
  if (category !== 'medication') return { ...base, kind: 'not-a-drug' };
  if (byCode) return { ...base, kind: 'ingredients', ingredients: [{ name: byCode.name, rxcui: byCode.rxcui! }] };
  const drugClass = substance.text ? ALLERGY_CLASS_NAMES[cleanName(substance.text)] : undefined;
  if (drugClass) return { ...base, kind: 'class', drugClass };
  const found = substance.text ? ingredientsOf(substance.text) : undefined;
  if (!found) return { ...base, kind: 'unrecognised' };
  return {
    ...base,
    kind: 'ingredients',
    ingredients: found.map((ingredient) => ({ name: ingredient.name, ...(ingredient.rxcui ? { rxcui: ingredient.rxcui } : {}) })),
  };
}

/** Whether an entry is a drug allergy the checks must use: active, not refuted, not entered in error. */
export const isActiveDrugAllergy = (entry: AllergyEntry): boolean =>
  entry.category === 'medication' &&
  entry.clinicalStatus === 'active' &&
  (entry.verificationStatus === 'confirmed' || entry.verificationStatus === 'unconfirmed');

/** The ingredients an entry stands for (a class: all its members). */
export const allergenIngredients = (entry: AllergyEntry): string[] =>
  entry.substance.kind === 'class'
    ? classMembers(entry.substance.drugClass!)
    : (entry.substance.ingredients ?? []).map((ingredient) => ingredient.name);

/** What a request may change: the entry (its substance as resolved) without who recorded it and when. */
const content = (entry: Omit<AllergyEntry, 'allergyId' | 'recorder' | 'recordedAt'>) => {
  const { substance, category, type, reaction, severity, criticality, clinicalStatus, verificationStatus, note } = entry;
  return JSON.stringify({ substance, category, type, reaction, severity, criticality, clinicalStatus, verificationStatus, note });
};

/**
 * The next version of a patient's list. Entries are never removed (a mistake is marked
 * entered-in-error, a disproved allergy refuted): a request that leaves one out is refused.
 * "No known drug allergies" next to an active drug allergy is a contradiction, refused too.
 */
export function nextAllergyList(
  current: AllergyList | undefined,
  request: { noKnownDrugAllergies: boolean; entries: readonly AllergyInput[] },
  by: Recorder,
  now: Date,
  ids: { patientId: string; facilityId: string; newId: () => string },
): AllergyList {
  const at = now.toISOString();
  const previous = new Map((current?.entries ?? []).map((entry) => [entry.allergyId, entry]));
  const issues: Array<{ field: string; reason: string }> = [];
  const given = new Set<string>();
  const entries = request.entries.map((input, index): AllergyEntry => {
    const {
      allergyId,
      substance: written,
      recorder: _recorder,
      recordedAt: _recordedAt,
      ...rest
    } = input as AllergyInput & Partial<Pick<AllergyEntry, 'recorder' | 'recordedAt'>>;
    const substance = resolveSubstance(written, input.category);
    const before = allergyId ? previous.get(allergyId) : undefined;
    if (allergyId && !before) issues.push({ field: `entries.${index}.allergyId`, reason: 'is not an entry of this allergy list' });
    if (allergyId && given.has(allergyId)) issues.push({ field: `entries.${index}.allergyId`, reason: 'is listed twice' });
    if (allergyId) given.add(allergyId);
    if (before && content(before) === content({ ...rest, substance })) return before;
    return { ...rest, allergyId: before?.allergyId ?? ids.newId(), substance, recorder: by, recordedAt: at };
  });
  for (const kept of previous.keys()) {
    if (!given.has(kept))
      issues.push({
        field: 'entries',
        reason: `must keep allergy ${kept}: mark it entered-in-error, refuted or resolved instead of leaving it out`,
      });
  }
  if (request.noKnownDrugAllergies) {
    entries.forEach((entry, index) => {
      if (isActiveDrugAllergy(entry))
        issues.push({ field: `entries.${index}`, reason: 'is an active drug allergy, which contradicts noKnownDrugAllergies' });
    });
  }
  if (issues.length > 0) throw new ValidationError('The allergy list is not valid', issues);
  return {
    patientId: ids.patientId,
    facilityId: ids.facilityId,
    version: (current?.version ?? 0) + 1,
    noKnownDrugAllergies: request.noKnownDrugAllergies,
    entries,
    changedBy: by,
    changedAt: at,
  };
}

/** What the reconciliation shows for one drug and one allergy. */
export interface AllergyAlert {
  /** Stable for the same allergy, ingredient and severity, so an acknowledgement survives a re-reconciliation (not an escalation). */
  alertId: string;
  allergyId: string;
  substance: string;
  /** The medication as written. */
  drug: string;
  ingredient: string;
  /** `substance`: the allergen itself (or a member of an allergy class); else the cross-sensitivity rule's risk. */
  match: 'substance' | Exclude<CrossSensitivityRisk, 'none'>;
  ruleId?: string;
  /** `high` blocks discharge until a pharmacist or physician acknowledges it; `moderate` and `low` are shown. */
  severity: 'high' | 'moderate' | 'low';
  reason: string;
  source?: string;
}

/** One side of a rule: an ingredient, `class:<name>`, or alternatives joined by `|`. */
const matchesSide = (side: string, ingredient: string): boolean =>
  side
    .split('|')
    .some((alternative) =>
      alternative.startsWith('class:') ? classMembers(alternative.slice('class:'.length)).includes(ingredient) : alternative === ingredient,
    );

const RISK_ORDER: Record<CrossSensitivityRisk, number> = { 'same-class': 3, 'shared-side-chain': 2, low: 1, none: 0 };

/** The strongest rule linking any allergen ingredient to this one (never the same ingredient: that is a substance match). */
function strongestRule(
  allergens: readonly string[],
  ingredient: string,
  rules: readonly CrossSensitivityRule[],
): CrossSensitivityRule | undefined {
  let best: CrossSensitivityRule | undefined;
  for (const rule of rules) {
    if (rule.risk === 'none' || !matchesSide(rule.drug, ingredient)) continue;
    if (!allergens.some((allergen) => allergen !== ingredient && matchesSide(rule.allergen, allergen))) continue;
    if (!best || RISK_ORDER[rule.risk] > RISK_ORDER[best.risk]) best = rule;
  }
  return best;
}

/** Whether a match treated as the allergy itself blocks: the allergy is severe or of high criticality. */
const blocks = (entry: AllergyEntry) => entry.severity === 'severe' || entry.criticality === 'high';

/**
 * Every medication going home (new, continued, changed) checked against every active drug
 * allergy: the allergen itself, a member of an allergy class, a same-class or shared-side-chain
 * drug (treated as the allergy), or a published low cross-sensitivity (a warning).
 */
export function checkAllergies(
  medications: ReadonlyArray<{ drug: string; decision: string; ingredients?: Array<{ name: string }> }>,
  list: AllergyList | undefined,
  rules: readonly CrossSensitivityRule[] = CROSS_SENSITIVITY_RULES,
): AllergyAlert[] {
  const alerts = new Map<string, AllergyAlert>();
  const allergies = (list?.entries ?? []).filter(isActiveDrugAllergy);
  for (const m of medications) {
    if (m.decision === 'stopped') continue;
    const ingredients = m.ingredients
      ? m.ingredients.map((ingredient) => ingredient.name)
      : (ingredientsOf(m.drug) ?? []).map((ingredient) => ingredient.name);
    for (const entry of allergies) {
      const allergens = allergenIngredients(entry);
      for (const ingredient of ingredients) {
        const direct = allergens.includes(ingredient);
        const rule = direct ? undefined : strongestRule(allergens, ingredient, rules);
        if (!direct && !rule) continue;
        const asAllergy = direct || rule!.risk === 'same-class' || rule!.risk === 'shared-side-chain';
        const severity = asAllergy ? (blocks(entry) ? 'high' : 'moderate') : 'low';
        const alertId = `allergy:${entry.allergyId}:${ingredient}:${severity}`;
        if (alerts.has(alertId)) continue;
        const what = entry.reaction
          ? ` (${entry.reaction}${entry.severity ? `, ${entry.severity}` : ''})`
          : entry.severity
            ? ` (${entry.severity})`
            : '';
        alerts.set(alertId, {
          alertId,
          allergyId: entry.allergyId,
          substance: entry.substance.text,
          drug: m.drug,
          ingredient,
          match: direct ? 'substance' : (rule!.risk as AllergyAlert['match']),
          ...(rule ? { ruleId: rule.id, source: rule.source } : {}),
          severity,
          reason: direct
            ? `${m.drug} contains ${ingredient}; the patient is allergic to ${entry.substance.text}${what}`
            : `Allergy to ${entry.substance.text}${what}: ${rule!.reason}`,
        });
      }
    }
  }
  return [...alerts.values()];
}

/** Drug allergies no check can use (the vocabulary does not know the substance): shown, so nobody assumes they were checked. */
export const uncheckedAllergies = (list: AllergyList | undefined): string[] =>
  (list?.entries ?? [])
    .filter((entry) => isActiveDrugAllergy(entry) && entry.substance.kind === 'unrecognised')
    .map((entry) => entry.substance.text);

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED = 'http://snomed.info/sct';

/**
 * The list as FHIR R4 AllergyIntolerance resources. "No known drug allergies" is its own resource
 * (SNOMED CT 409137002), as US Core advises; an entry entered in error carries no clinicalStatus (ait-2).
 */
export function toFhirAllergyIntolerances(list: AllergyList | undefined): AllergyIntolerance[] {
  if (!list) return [];
  const patient = { reference: `Patient/${list.patientId}` };
  const resources: AllergyIntolerance[] = list.entries.map((entry) => {
    const rxcuis = entry.substance.rxcui
      ? [entry.substance.rxcui]
      : (entry.substance.ingredients ?? []).flatMap((ingredient) => (ingredient.rxcui ? [ingredient.rxcui] : []));
    return {
      resourceType: 'AllergyIntolerance',
      id: entry.allergyId,
      ...(entry.clinicalStatus ? { clinicalStatus: { coding: [{ system: CLINICAL, code: entry.clinicalStatus }] } } : {}),
      verificationStatus: { coding: [{ system: VERIFICATION, code: entry.verificationStatus }] },
      ...(entry.type ? { type: entry.type } : {}),
      category: [entry.category],
      ...(entry.criticality ? { criticality: entry.criticality } : {}),
      code: { text: entry.substance.text, ...(rxcuis.length > 0 ? { coding: rxcuis.map((code) => ({ system: RXNORM, code })) } : {}) },
      patient,
      recordedDate: entry.recordedAt,
      recorder: { display: entry.recorder.name ?? entry.recorder.who },
      ...(entry.reaction || entry.severity
        ? {
            reaction: [
              { manifestation: [{ text: entry.reaction ?? 'not recorded' }], ...(entry.severity ? { severity: entry.severity } : {}) },
            ],
          }
        : {}),
      ...(entry.note ? { note: [{ text: entry.note }] } : {}),
    };
  });
  if (list.noKnownDrugAllergies) {
    resources.push({
      resourceType: 'AllergyIntolerance',
      id: `${list.patientId}-nkda`,
      clinicalStatus: { coding: [{ system: CLINICAL, code: 'active' }] },
      verificationStatus: { coding: [{ system: VERIFICATION, code: 'confirmed' }] },
      category: ['medication'],
      code: { coding: [{ system: SNOMED, code: '409137002', display: 'No known drug allergy' }], text: 'No known drug allergies' },
      patient,
      recordedDate: list.changedAt,
      recorder: { display: list.changedBy.name ?? list.changedBy.who },
    });
  }
  return resources;
}
