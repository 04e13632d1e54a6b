/**
 * Drug–drug interactions Carepath checks at medication reconciliation (DOMAIN.md §6), as data:
 * drug classes by generic name, and pairs of drugs or classes with a severity. A site replaces
 * both with its own knowledge base. High severity blocks discharge until a pharmacist or
 * physician acknowledges it; moderate is shown. Not clinical advice.
 */
export const DRUG_CLASSES: Record<string, readonly string[]> = {
  maoi: ['phenelzine', 'tranylcypromine', 'isocarboxazid', 'selegiline', 'rasagiline', 'safinamide', 'linezolid', 'methylene blue', 'procarbazine'],
  ssri: ['fluoxetine', 'sertraline', 'paroxetine', 'citalopram', 'escitalopram', 'fluvoxamine', 'vilazodone', 'vortioxetine'],
  snri: ['venlafaxine', 'desvenlafaxine', 'duloxetine', 'levomilnacipran', 'milnacipran'],
  tricyclic: ['amitriptyline', 'nortriptyline', 'imipramine', 'desipramine', 'clomipramine', 'doxepin', 'protriptyline', 'trimipramine'],
  amphetamine: ['amphetamine', 'dextroamphetamine', 'lisdexamfetamine', 'methamphetamine', 'methylphenidate'],
  'opioid-analgesic': ['meperidine', 'tramadol', 'tapentadol', 'methadone', 'fentanyl', 'oxycodone', 'morphine', 'hydromorphone', 'hydrocodone', 'codeine'],
  triptan: ['sumatriptan', 'rizatriptan', 'zolmitriptan', 'eletriptan', 'naratriptan', 'almotriptan', 'frovatriptan'],
  'qt-high-risk': ['dofetilide', 'sotalol', 'ibutilide', 'quinidine', 'dronedarone', 'thioridazine', 'pimozide', 'haloperidol', 'methadone', 'amiodarone'],
  'proton-pump-inhibitor': ['omeprazole', 'esomeprazole', 'lansoprazole', 'dexlansoprazole', 'pantoprazole', 'rabeprazole'],
  'thiopurine': ['azathioprine', 'mercaptopurine'],
  'strong-cyp3a4-inhibitor': ['ketoconazole', 'itraconazole', 'posaconazole', 'voriconazole', 'clarithromycin', 'telithromycin', 'nefazodone', 'ritonavir', 'cobicistat'],
  'protease-inhibitor': ['ritonavir', 'atazanavir', 'darunavir', 'lopinavir', 'saquinavir', 'indinavir', 'nelfinavir', 'fosamprenavir', 'tipranavir'],
  'ergot-alkaloid': ['ergotamine', 'dihydroergotamine', 'methylergonovine'],
  'strong-cyp3a4-inducer': ['rifampin', 'rifampicin', 'carbamazepine', 'phenytoin', 'phenobarbital', "st john's wort"],
  'cyp1a2-inhibitor': ['fluvoxamine', 'ciprofloxacin'],
  nsaid: ['ibuprofen', 'naproxen', 'diclofenac', 'ketorolac', 'indomethacin', 'meloxicam', 'celecoxib', 'piroxicam', 'etodolac', 'nabumetone'],
  'ace-inhibitor': ['lisinopril', 'enalapril', 'ramipril', 'captopril', 'benazepril', 'quinapril', 'perindopril', 'fosinopril'],
  arb: ['losartan', 'valsartan', 'irbesartan', 'candesartan', 'olmesartan', 'telmisartan', 'azilsartan'],
  'beta-blocker': ['metoprolol', 'atenolol', 'propranolol', 'carvedilol', 'bisoprolol', 'nadolol', 'labetalol', 'nebivolol'],
  'pde5-inhibitor': ['sildenafil', 'tadalafil', 'vardenafil', 'avanafil'],
  nitrate: ['nitroglycerin', 'isosorbide mononitrate', 'isosorbide dinitrate'],
};

export type Severity = 'high' | 'moderate';

export interface InteractionRule {
  id: string;
  /** Each side: a drug's generic name or `class:<name>` from DRUG_CLASSES. */
  a: string;
  b: string;
  severity: Severity;
  reason: string;
  source: string;
}

const PHANSALKAR = 'Phansalkar et al., JAMIA 2012 (high-severity DDIs for EHRs)';
const CITED = 'commonly cited pair (DOMAIN.md §6); severity is the site’s call';

export const INTERACTION_RULES: readonly InteractionRule[] = [
  { id: 'amphetamine-maoi', a: 'class:amphetamine', b: 'class:maoi', severity: 'high', reason: 'Hypertensive crisis', source: PHANSALKAR },
  { id: 'ssri-maoi', a: 'class:ssri', b: 'class:maoi', severity: 'high', reason: 'Serotonin syndrome', source: PHANSALKAR },
  { id: 'snri-maoi', a: 'class:snri', b: 'class:maoi', severity: 'high', reason: 'Serotonin syndrome', source: PHANSALKAR },
  { id: 'tricyclic-maoi', a: 'class:tricyclic', b: 'class:maoi', severity: 'high', reason: 'Serotonin syndrome, hypertensive crisis', source: PHANSALKAR },
  { id: 'opioid-maoi', a: 'class:opioid-analgesic', b: 'class:maoi', severity: 'high', reason: 'Serotonin syndrome, CNS depression', source: PHANSALKAR },
  { id: 'triptan-maoi', a: 'class:triptan', b: 'class:maoi', severity: 'high', reason: 'Serotonin syndrome', source: PHANSALKAR },
  { id: 'tranylcypromine-procarbazine', a: 'tranylcypromine', b: 'procarbazine', severity: 'high', reason: 'Hypertensive crisis', source: PHANSALKAR },
  { id: 'qt-qt', a: 'class:qt-high-risk', b: 'class:qt-high-risk', severity: 'high', reason: 'Additive QT prolongation, torsades de pointes', source: PHANSALKAR },
  { id: 'atazanavir-ppi', a: 'atazanavir', b: 'class:proton-pump-inhibitor', severity: 'high', reason: 'Atazanavir exposure falls: treatment failure', source: PHANSALKAR },
  { id: 'febuxostat-thiopurine', a: 'febuxostat', b: 'class:thiopurine', severity: 'high', reason: 'Thiopurine toxicity (bone marrow suppression)', source: PHANSALKAR },
  { id: 'irinotecan-cyp3a4', a: 'irinotecan', b: 'class:strong-cyp3a4-inhibitor', severity: 'high', reason: 'Irinotecan toxicity', source: PHANSALKAR },
  { id: 'statin-cyp3a4', a: 'simvastatin', b: 'class:strong-cyp3a4-inhibitor', severity: 'high', reason: 'Myopathy, rhabdomyolysis', source: PHANSALKAR },
  { id: 'statin-pi', a: 'simvastatin', b: 'class:protease-inhibitor', severity: 'high', reason: 'Myopathy, rhabdomyolysis', source: PHANSALKAR },
  { id: 'lovastatin-cyp3a4', a: 'lovastatin', b: 'class:strong-cyp3a4-inhibitor', severity: 'high', reason: 'Myopathy, rhabdomyolysis', source: PHANSALKAR },
  { id: 'lovastatin-pi', a: 'lovastatin', b: 'class:protease-inhibitor', severity: 'high', reason: 'Myopathy, rhabdomyolysis', source: PHANSALKAR },
  { id: 'ergot-cyp3a4', a: 'class:ergot-alkaloid', b: 'class:strong-cyp3a4-inhibitor', severity: 'high', reason: 'Ergotism (vasospasm, ischaemia)', source: PHANSALKAR },
  { id: 'ergot-pi', a: 'class:ergot-alkaloid', b: 'class:protease-inhibitor', severity: 'high', reason: 'Ergotism (vasospasm, ischaemia)', source: PHANSALKAR },
  { id: 'inducer-pi', a: 'class:strong-cyp3a4-inducer', b: 'class:protease-inhibitor', severity: 'high', reason: 'Protease inhibitor exposure falls: treatment failure', source: PHANSALKAR },
  { id: 'tizanidine-cyp1a2', a: 'tizanidine', b: 'class:cyp1a2-inhibitor', severity: 'high', reason: 'Hypotension, excessive sedation', source: PHANSALKAR },
  { id: 'ramelteon-fluvoxamine', a: 'ramelteon', b: 'fluvoxamine', severity: 'high', reason: 'Ramelteon exposure rises sharply', source: PHANSALKAR },
  { id: 'pde5-nitrate', a: 'class:pde5-inhibitor', b: 'class:nitrate', severity: 'high', reason: 'Severe hypotension', source: 'product labels (contraindicated)' },
  { id: 'warfarin-nsaid', a: 'warfarin', b: 'class:nsaid', severity: 'moderate', reason: 'Bleeding', source: CITED },
  { id: 'warfarin-smx', a: 'warfarin', b: 'sulfamethoxazole', severity: 'moderate', reason: 'INR rises: bleeding', source: CITED },
  { id: 'methotrexate-nsaid', a: 'methotrexate', b: 'class:nsaid', severity: 'moderate', reason: 'Methotrexate toxicity', source: CITED },
  { id: 'lithium-acei', a: 'lithium', b: 'class:ace-inhibitor', severity: 'moderate', reason: 'Lithium toxicity', source: CITED },
  { id: 'lithium-arb', a: 'lithium', b: 'class:arb', severity: 'moderate', reason: 'Lithium toxicity', source: CITED },
  { id: 'amiodarone-digoxin', a: 'amiodarone', b: 'digoxin', severity: 'moderate', reason: 'Digoxin toxicity', source: CITED },
  { id: 'verapamil-beta-blocker', a: 'verapamil', b: 'class:beta-blocker', severity: 'moderate', reason: 'Bradycardia, heart block', source: CITED },
];
