import { classMembers } from './vocabulary';

/**
 * Drug–drug interactions Carepath checks at medication reconciliation (DOMAIN.md §6), as data: rules
 * between ingredients or classes (`class:<name>`, classes from vocabulary.ts), each with its
 * severity and published source. A site replaces the table with its own knowledge base. High
 * severity blocks discharge until a pharmacist or physician acknowledges it; moderate is shown.
 * Not clinical advice.
 */
export type Severity = 'high' | 'moderate';

export interface InteractionRule {
  id: string;
  /**
   * Two sides make a pair; three make a three-way rule that fires only when all three are on the
   * list (triple antithrombotic therapy; potassium-sparing diuretic + ACE inhibitor/ARB + potassium).
   * Each side: an ingredient, `class:<name>`, or several alternatives joined by `|`.
   */
  sides: readonly string[];
  severity: Severity;
  reason: string;
  source: string;
}

/** Kept for readers of the old shape: the ingredients of each class the rules name. */
export const DRUG_CLASSES = new Proxy({} as Record<string, readonly string[]>, {
  get: (_, name) => (typeof name === 'string' ? classMembers(name) : undefined),
});

export const SOURCES = {
  phansalkar2012: 'Phansalkar et al., JAMIA 2012;19:735-43 (high-severity DDIs for EHRs)',
  fdaOpioidBenzo: 'FDA Drug Safety Communication, 31 Aug 2016: boxed warning, opioids with benzodiazepines',
  ismp: 'ISMP List of High-Alert Medications in Acute Care Settings (anticoagulants, opioids, methotrexate, potassium)',
  labelPde5: 'PDE5 inhibitor product labels (nitrates contraindicated)',
  labelClopidogrel: 'Clopidogrel (Plavix) label and FDA Drug Safety Communication 2009: avoid omeprazole or esomeprazole',
  labelWarfarin: 'Warfarin (Coumadin) label: NSAIDs, antibiotics and azole antifungals raise the INR or the bleeding risk',
  labelKSparing: 'Spironolactone (Aldactone) and eplerenone labels: hyperkalaemia with potassium supplements, ACE inhibitors, ARBs',
  labelDoac: 'Apixaban, rivaroxaban, dabigatran, edoxaban labels (NSAIDs, antiplatelets raise bleeding risk)',
  labelMethotrexate: 'Methotrexate label (trimethoprim/sulfamethoxazole: bone marrow suppression)',
  cited: 'commonly cited pair (DOMAIN.md §6); severity is the site’s call',
} as const;

const S = SOURCES;

export const INTERACTION_RULES: readonly InteractionRule[] = [
  // Phansalkar 2012: the 15 high-severity pairs that should interrupt.
  {
    id: 'amphetamine-maoi',
    sides: ['class:amphetamine', 'class:maoi'],
    severity: 'high',
    reason: 'Hypertensive crisis',
    source: S.phansalkar2012,
  },
  { id: 'ssri-maoi', sides: ['class:ssri', 'class:maoi'], severity: 'high', reason: 'Serotonin syndrome', source: S.phansalkar2012 },
  { id: 'snri-maoi', sides: ['class:snri', 'class:maoi'], severity: 'high', reason: 'Serotonin syndrome', source: S.phansalkar2012 },
  {
    id: 'tricyclic-maoi',
    sides: ['class:tricyclic', 'class:maoi'],
    severity: 'high',
    reason: 'Serotonin syndrome, hypertensive crisis',
    source: S.phansalkar2012,
  },
  {
    id: 'opioid-maoi',
    sides: ['class:opioid-analgesic', 'class:maoi'],
    severity: 'high',
    reason: 'Serotonin syndrome, CNS depression',
    source: S.phansalkar2012,
  },
  { id: 'triptan-maoi', sides: ['class:triptan', 'class:maoi'], severity: 'high', reason: 'Serotonin syndrome', source: S.phansalkar2012 },
  {
    id: 'tranylcypromine-procarbazine',
    sides: ['tranylcypromine', 'procarbazine'],
    severity: 'high',
    reason: 'Hypertensive crisis',
    source: S.phansalkar2012,
  },
  {
    id: 'qt-qt',
    sides: ['class:qt-high-risk', 'class:qt-high-risk'],
    severity: 'high',
    reason: 'Additive QT prolongation, torsades de pointes',
    source: S.phansalkar2012,
  },
  {
    id: 'atazanavir-ppi',
    sides: ['atazanavir', 'class:proton-pump-inhibitor'],
    severity: 'high',
    reason: 'Atazanavir exposure falls: treatment failure',
    source: S.phansalkar2012,
  },
  {
    id: 'febuxostat-thiopurine',
    sides: ['febuxostat', 'class:thiopurine'],
    severity: 'high',
    reason: 'Thiopurine toxicity (bone marrow suppression)',
    source: S.phansalkar2012,
  },
  {
    id: 'irinotecan-cyp3a4',
    sides: ['irinotecan', 'class:strong-cyp3a4-inhibitor'],
    severity: 'high',
    reason: 'Irinotecan toxicity',
    source: S.phansalkar2012,
  },
  {
    id: 'statin-cyp3a4',
    sides: ['simvastatin', 'class:strong-cyp3a4-inhibitor'],
    severity: 'high',
    reason: 'Myopathy, rhabdomyolysis',
    source: S.phansalkar2012,
  },
  {
    id: 'statin-pi',
    sides: ['simvastatin', 'class:protease-inhibitor'],
    severity: 'high',
    reason: 'Myopathy, rhabdomyolysis',
    source: S.phansalkar2012,
  },
  {
    id: 'lovastatin-cyp3a4',
    sides: ['lovastatin', 'class:strong-cyp3a4-inhibitor'],
    severity: 'high',
    reason: 'Myopathy, rhabdomyolysis',
    source: S.phansalkar2012,
  },
  {
    id: 'lovastatin-pi',
    sides: ['lovastatin', 'class:protease-inhibitor'],
    severity: 'high',
    reason: 'Myopathy, rhabdomyolysis',
    source: S.phansalkar2012,
  },
  {
    id: 'ergot-cyp3a4',
    sides: ['class:ergot-alkaloid', 'class:strong-cyp3a4-inhibitor'],
    severity: 'high',
    reason: 'Ergotism (vasospasm, ischaemia)',
    source: S.phansalkar2012,
  },
  {
    id: 'ergot-pi',
    sides: ['class:ergot-alkaloid', 'class:protease-inhibitor'],
    severity: 'high',
    reason: 'Ergotism (vasospasm, ischaemia)',
    source: S.phansalkar2012,
  },
  {
    id: 'inducer-pi',
    sides: ['class:strong-cyp3a4-inducer', 'class:protease-inhibitor'],
    severity: 'high',
    reason: 'Protease inhibitor exposure falls: treatment failure',
    source: S.phansalkar2012,
  },
  {
    id: 'tizanidine-cyp1a2',
    sides: ['tizanidine', 'class:cyp1a2-inhibitor'],
    severity: 'high',
    reason: 'Hypotension, excessive sedation',
    source: S.phansalkar2012,
  },
  {
    id: 'ramelteon-fluvoxamine',
    sides: ['ramelteon', 'fluvoxamine'],
    severity: 'high',
    reason: 'Ramelteon exposure rises sharply',
    source: S.phansalkar2012,
  },
  {
    id: 'pde5-nitrate',
    sides: ['class:pde5-inhibitor', 'class:nitrate'],
    severity: 'high',
    reason: 'Severe hypotension',
    source: S.labelPde5,
  },
  // Boxed warning: respiratory depression and death.
  {
    id: 'opioid-benzodiazepine',
    sides: ['class:opioid-analgesic', 'class:benzodiazepine'],
    severity: 'high',
    reason: 'Profound sedation, respiratory depression, coma, death',
    source: S.fdaOpioidBenzo,
  },
  // Anticoagulants (ISMP high-alert) with what raises bleeding or the INR. High here (issue 16):
  // each needs a decision (monitoring, dose change, a stop) before the patient goes home.
  {
    id: 'warfarin-nsaid',
    sides: ['warfarin', 'class:nsaid'],
    severity: 'high',
    reason: 'Major bleeding (GI)',
    source: `${S.labelWarfarin}; ${S.ismp}`,
  },
  {
    id: 'warfarin-smx',
    sides: ['warfarin', 'sulfamethoxazole'],
    severity: 'high',
    reason: 'INR rises (CYP2C9 inhibition): bleeding',
    source: `${S.labelWarfarin}; ${S.ismp}`,
  },
  {
    id: 'warfarin-azole',
    sides: ['warfarin', 'class:azole-antifungal'],
    severity: 'high',
    reason: 'INR rises (CYP2C9/3A4 inhibition): bleeding',
    source: `${S.labelWarfarin}; ${S.ismp}`,
  },
  {
    id: 'doac-nsaid',
    sides: ['class:doac', 'class:nsaid'],
    severity: 'high',
    reason: 'Major bleeding',
    source: `${S.labelDoac}; ${S.ismp}`,
  },
  {
    id: 'anticoagulant-antiplatelet',
    sides: ['class:anticoagulant', 'class:antiplatelet'],
    severity: 'moderate',
    reason: 'Bleeding; often intended (e.g. after a stent): confirm the indication and duration',
    source: `${S.labelDoac}; ${S.ismp}`,
  },
  {
    id: 'triple-antithrombotic',
    sides: ['class:anticoagulant', 'aspirin', 'class:p2y12-inhibitor'],
    severity: 'high',
    reason: 'Triple antithrombotic therapy: major bleeding; needs a stated indication and end date',
    source: `${S.labelDoac}; ${S.ismp}`,
  },
  {
    id: 'clopidogrel-ppi',
    sides: ['clopidogrel', 'omeprazole|esomeprazole'],
    severity: 'high',
    reason: 'CYP2C19 inhibition: less antiplatelet effect, stent thrombosis',
    source: S.labelClopidogrel,
  },
  {
    id: 'methotrexate-tmp-smx',
    sides: ['methotrexate', 'trimethoprim|sulfamethoxazole'],
    severity: 'high',
    reason: 'Methotrexate toxicity: bone marrow suppression',
    source: `${S.labelMethotrexate}; ${S.ismp}`,
  },
  {
    id: 'k-sparing-acei-arb-potassium',
    sides: ['class:potassium-sparing-diuretic', 'class:ace-inhibitor|class:arb', 'class:potassium-supplement'],
    severity: 'high',
    reason: 'Hyperkalaemia (life-threatening arrhythmia)',
    source: S.labelKSparing,
  },
  {
    id: 'k-sparing-acei-arb',
    sides: ['class:potassium-sparing-diuretic', 'class:ace-inhibitor|class:arb'],
    severity: 'moderate',
    reason: 'Hyperkalaemia: check potassium',
    source: S.labelKSparing,
  },
  {
    id: 'k-sparing-potassium',
    sides: ['class:potassium-sparing-diuretic', 'class:potassium-supplement'],
    severity: 'high',
    reason: 'Hyperkalaemia',
    source: S.labelKSparing,
  },
  {
    id: 'methotrexate-nsaid',
    sides: ['methotrexate', 'class:nsaid'],
    severity: 'moderate',
    reason: 'Methotrexate toxicity',
    source: S.cited,
  },
  { id: 'lithium-acei', sides: ['lithium', 'class:ace-inhibitor'], severity: 'moderate', reason: 'Lithium toxicity', source: S.cited },
  { id: 'lithium-arb', sides: ['lithium', 'class:arb'], severity: 'moderate', reason: 'Lithium toxicity', source: S.cited },
  { id: 'amiodarone-digoxin', sides: ['amiodarone', 'digoxin'], severity: 'moderate', reason: 'Digoxin toxicity', source: S.cited },
  {
    id: 'verapamil-beta-blocker',
    sides: ['verapamil', 'class:beta-blocker'],
    severity: 'moderate',
    reason: 'Bradycardia, heart block',
    source: S.cited,
  },
];
