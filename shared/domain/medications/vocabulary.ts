/**
 * The drug vocabulary the medication checks compare by: ingredients (RxNorm IN), the classes each
 * belongs to, brand names and combination products mapped to their ingredients, and the salt and
 * ester words RxNorm's precise ingredients (PIN) add ("warfarin sodium" → warfarin). An interaction
 * check compares ingredients, never raw strings (DOMAIN.md §12): "Coumadin" and "warfarin sodium"
 * are both warfarin.
 *
 * Data, so a site can load the full RxNorm instead. `rxcui` is the RxNorm ingredient code where we
 * are sure of it; an entry without one is matched by name only (a wrong code would be worse than
 * none). Not clinical advice.
 */
export interface Ingredient {
  name: string;
  rxcui?: string;
  /** Class names the interaction, duplication and allergy rules refer to as `class:<name>`. */
  classes: readonly string[];
}

const i = (name: string, classes: string[], rxcui?: string): Ingredient => ({ name, classes, ...(rxcui ? { rxcui } : {}) });

export const INGREDIENTS: readonly Ingredient[] = [
  // Anticoagulants and antiplatelets
  i('warfarin', ['vitamin-k-antagonist', 'anticoagulant'], '11289'),
  i('apixaban', ['doac', 'anticoagulant'], '1364430'),
  i('rivaroxaban', ['doac', 'anticoagulant'], '1114195'),
  i('dabigatran', ['doac', 'anticoagulant']),
  i('edoxaban', ['doac', 'anticoagulant']),
  i('aspirin', ['antiplatelet'], '1191'),
  i('clopidogrel', ['antiplatelet', 'p2y12-inhibitor'], '32968'),
  i('prasugrel', ['antiplatelet', 'p2y12-inhibitor']),
  i('ticagrelor', ['antiplatelet', 'p2y12-inhibitor']),
  // NSAIDs (aspirin is an antiplatelet here: its low dose is the usual reason it is on a list)
  i('ibuprofen', ['nsaid'], '5640'),
  i('naproxen', ['nsaid']),
  i('diclofenac', ['nsaid']),
  i('ketorolac', ['nsaid']),
  i('indomethacin', ['nsaid']),
  i('meloxicam', ['nsaid']),
  i('celecoxib', ['nsaid']),
  i('piroxicam', ['nsaid']),
  i('etodolac', ['nsaid']),
  i('nabumetone', ['nsaid']),
  // Opioids and benzodiazepines
  i('oxycodone', ['opioid-analgesic'], '7804'),
  i('morphine', ['opioid-analgesic']),
  i('hydromorphone', ['opioid-analgesic']),
  i('hydrocodone', ['opioid-analgesic']),
  i('codeine', ['opioid-analgesic']),
  i('fentanyl', ['opioid-analgesic']),
  i('meperidine', ['opioid-analgesic']),
  i('tramadol', ['opioid-analgesic']),
  i('tapentadol', ['opioid-analgesic']),
  i('methadone', ['opioid-analgesic', 'qt-high-risk']),
  i('lorazepam', ['benzodiazepine'], '6470'),
  i('alprazolam', ['benzodiazepine']),
  i('diazepam', ['benzodiazepine']),
  i('clonazepam', ['benzodiazepine']),
  i('midazolam', ['benzodiazepine']),
  i('temazepam', ['benzodiazepine']),
  // Antidepressants, MAOIs, stimulants, triptans
  i('phenelzine', ['maoi']),
  i('tranylcypromine', ['maoi']),
  i('isocarboxazid', ['maoi']),
  i('selegiline', ['maoi']),
  i('rasagiline', ['maoi']),
  i('safinamide', ['maoi']),
  i('linezolid', ['maoi']),
  i('methylene blue', ['maoi']),
  i('procarbazine', ['maoi']),
  i('fluoxetine', ['ssri']),
  i('sertraline', ['ssri']),
  i('paroxetine', ['ssri']),
  i('citalopram', ['ssri']),
  i('escitalopram', ['ssri']),
  i('fluvoxamine', ['ssri', 'cyp1a2-inhibitor']),
  i('vilazodone', ['ssri']),
  i('vortioxetine', ['ssri']),
  i('venlafaxine', ['snri']),
  i('desvenlafaxine', ['snri']),
  i('duloxetine', ['snri']),
  i('levomilnacipran', ['snri']),
  i('milnacipran', ['snri']),
  i('amitriptyline', ['tricyclic']),
  i('nortriptyline', ['tricyclic']),
  i('imipramine', ['tricyclic']),
  i('desipramine', ['tricyclic']),
  i('clomipramine', ['tricyclic']),
  i('doxepin', ['tricyclic']),
  i('protriptyline', ['tricyclic']),
  i('trimipramine', ['tricyclic']),
  i('amphetamine', ['amphetamine']),
  i('dextroamphetamine', ['amphetamine']),
  i('lisdexamfetamine', ['amphetamine']),
  i('methamphetamine', ['amphetamine']),
  i('methylphenidate', ['amphetamine']),
  i('sumatriptan', ['triptan']),
  i('rizatriptan', ['triptan']),
  i('zolmitriptan', ['triptan']),
  i('eletriptan', ['triptan']),
  i('naratriptan', ['triptan']),
  i('almotriptan', ['triptan']),
  i('frovatriptan', ['triptan']),
  // QT-prolonging antiarrhythmics and antipsychotics (high-risk, Phansalkar 2012)
  i('dofetilide', ['qt-high-risk']),
  i('sotalol', ['qt-high-risk', 'beta-blocker']),
  i('ibutilide', ['qt-high-risk']),
  i('quinidine', ['qt-high-risk']),
  i('dronedarone', ['qt-high-risk']),
  i('thioridazine', ['qt-high-risk']),
  i('pimozide', ['qt-high-risk']),
  i('haloperidol', ['qt-high-risk']),
  i('amiodarone', ['qt-high-risk']),
  // Acid suppression
  i('omeprazole', ['proton-pump-inhibitor'], '7646'),
  i('esomeprazole', ['proton-pump-inhibitor']),
  i('lansoprazole', ['proton-pump-inhibitor']),
  i('dexlansoprazole', ['proton-pump-inhibitor']),
  i('pantoprazole', ['proton-pump-inhibitor']),
  i('rabeprazole', ['proton-pump-inhibitor']),
  // Anti-infectives
  i('sulfamethoxazole', ['sulfonamide-antibiotic'], '10180'),
  i('trimethoprim', [], '10829'),
  i('fluconazole', ['azole-antifungal'], '4450'),
  i('ketoconazole', ['azole-antifungal', 'strong-cyp3a4-inhibitor']),
  i('itraconazole', ['azole-antifungal', 'strong-cyp3a4-inhibitor']),
  i('posaconazole', ['azole-antifungal', 'strong-cyp3a4-inhibitor']),
  i('voriconazole', ['azole-antifungal', 'strong-cyp3a4-inhibitor']),
  i('miconazole', ['azole-antifungal']),
  i('clarithromycin', ['strong-cyp3a4-inhibitor']),
  i('telithromycin', ['strong-cyp3a4-inhibitor']),
  i('ciprofloxacin', ['cyp1a2-inhibitor']),
  i('rifampin', ['strong-cyp3a4-inducer']),
  i('penicillin', ['penicillin']),
  i('amoxicillin', ['penicillin'], '723'),
  i('ampicillin', ['penicillin']),
  i('piperacillin', ['penicillin']),
  i('dicloxacillin', ['penicillin']),
  i('nafcillin', ['penicillin']),
  i('clavulanate', []),
  i('tazobactam', []),
  // Other beta-lactams, for the allergy check's cross-sensitivity rules (allergy-cross-sensitivity.ts)
  i('cephalexin', ['cephalosporin']),
  i('cefadroxil', ['cephalosporin']),
  i('cefazolin', ['cephalosporin']),
  i('cefaclor', ['cephalosporin']),
  i('cefprozil', ['cephalosporin']),
  i('cefuroxime', ['cephalosporin']),
  i('ceftriaxone', ['cephalosporin']),
  i('cefdinir', ['cephalosporin']),
  i('cefpodoxime', ['cephalosporin']),
  i('ceftazidime', ['cephalosporin']),
  i('cefepime', ['cephalosporin']),
  i('meropenem', ['carbapenem']),
  i('imipenem', ['carbapenem']),
  i('ertapenem', ['carbapenem']),
  i('cilastatin', []),
  i('aztreonam', ['monobactam']),
  // Antiretrovirals
  i('ritonavir', ['protease-inhibitor', 'strong-cyp3a4-inhibitor']),
  i('cobicistat', ['strong-cyp3a4-inhibitor']),
  i('atazanavir', ['protease-inhibitor']),
  i('darunavir', ['protease-inhibitor']),
  i('lopinavir', ['protease-inhibitor']),
  i('saquinavir', ['protease-inhibitor']),
  i('indinavir', ['protease-inhibitor']),
  i('nelfinavir', ['protease-inhibitor']),
  i('fosamprenavir', ['protease-inhibitor']),
  i('tipranavir', ['protease-inhibitor']),
  // Others the rules name
  i('nefazodone', ['strong-cyp3a4-inhibitor']),
  i('carbamazepine', ['strong-cyp3a4-inducer']),
  i('phenytoin', ['strong-cyp3a4-inducer']),
  i('phenobarbital', ['strong-cyp3a4-inducer']),
  i("st john's wort", ['strong-cyp3a4-inducer']),
  i('azathioprine', ['thiopurine']),
  i('mercaptopurine', ['thiopurine']),
  i('febuxostat', []),
  i('irinotecan', []),
  i('simvastatin', ['statin']),
  i('lovastatin', ['statin']),
  i('atorvastatin', ['statin']),
  i('rosuvastatin', ['statin']),
  i('pravastatin', ['statin']),
  i('ergotamine', ['ergot-alkaloid']),
  i('dihydroergotamine', ['ergot-alkaloid']),
  i('methylergonovine', ['ergot-alkaloid']),
  i('tizanidine', []),
  i('ramelteon', []),
  i('methotrexate', [], '6851'),
  i('lithium', []),
  i('digoxin', []),
  i('verapamil', []),
  // Cardiovascular
  i('lisinopril', ['ace-inhibitor'], '29046'),
  i('enalapril', ['ace-inhibitor']),
  i('ramipril', ['ace-inhibitor']),
  i('captopril', ['ace-inhibitor']),
  i('benazepril', ['ace-inhibitor']),
  i('quinapril', ['ace-inhibitor']),
  i('perindopril', ['ace-inhibitor']),
  i('fosinopril', ['ace-inhibitor']),
  i('losartan', ['arb']),
  i('valsartan', ['arb']),
  i('irbesartan', ['arb']),
  i('candesartan', ['arb']),
  i('olmesartan', ['arb']),
  i('telmisartan', ['arb']),
  i('azilsartan', ['arb']),
  i('spironolactone', ['potassium-sparing-diuretic'], '9997'),
  i('eplerenone', ['potassium-sparing-diuretic']),
  i('amiloride', ['potassium-sparing-diuretic']),
  i('triamterene', ['potassium-sparing-diuretic']),
  i('potassium chloride', ['potassium-supplement'], '8591'),
  i('potassium citrate', ['potassium-supplement']),
  i('hydrochlorothiazide', ['thiazide-diuretic']),
  i('furosemide', ['loop-diuretic']),
  i('metoprolol', ['beta-blocker'], '6918'),
  i('atenolol', ['beta-blocker']),
  i('propranolol', ['beta-blocker']),
  i('carvedilol', ['beta-blocker']),
  i('bisoprolol', ['beta-blocker']),
  i('nadolol', ['beta-blocker']),
  i('labetalol', ['beta-blocker']),
  i('nebivolol', ['beta-blocker']),
  i('sildenafil', ['pde5-inhibitor']),
  i('tadalafil', ['pde5-inhibitor']),
  i('vardenafil', ['pde5-inhibitor']),
  i('avanafil', ['pde5-inhibitor']),
  i('nitroglycerin', ['nitrate']),
  i('isosorbide mononitrate', ['nitrate']),
  i('isosorbide dinitrate', ['nitrate']),
  // Common, no rule yet: recognised so they are not reported as unknown
  i('acetaminophen', []),
  i('metformin', []),
  i('amlodipine', []),
  i('levothyroxine', []),
  i('insulin glargine', []),
];

/** Other names of an ingredient (INN/BAN spellings, abbreviations). */
const SYNONYMS: Record<string, string> = {
  paracetamol: 'acetaminophen',
  rifampicin: 'rifampin',
  'acetylsalicylic acid': 'aspirin',
  asa: 'aspirin',
  'glyceryl trinitrate': 'nitroglycerin',
  kcl: 'potassium chloride',
  hctz: 'hydrochlorothiazide',
  'methylthioninium chloride': 'methylene blue',
  'penicillin v': 'penicillin',
  'penicillin vk': 'penicillin',
  'penicillin g': 'penicillin',
  pcn: 'penicillin',
};

/** Brand names and combination products → their ingredients (a small starter set; RxNorm's BN/SCD relations replace it). */
export const PRODUCTS: Record<string, readonly string[]> = {
  coumadin: ['warfarin'],
  jantoven: ['warfarin'],
  eliquis: ['apixaban'],
  xarelto: ['rivaroxaban'],
  pradaxa: ['dabigatran'],
  savaysa: ['edoxaban'],
  plavix: ['clopidogrel'],
  effient: ['prasugrel'],
  brilinta: ['ticagrelor'],
  advil: ['ibuprofen'],
  motrin: ['ibuprofen'],
  aleve: ['naproxen'],
  naprosyn: ['naproxen'],
  voltaren: ['diclofenac'],
  celebrex: ['celecoxib'],
  mobic: ['meloxicam'],
  toradol: ['ketorolac'],
  oxycontin: ['oxycodone'],
  roxicodone: ['oxycodone'],
  percocet: ['oxycodone', 'acetaminophen'],
  vicodin: ['hydrocodone', 'acetaminophen'],
  norco: ['hydrocodone', 'acetaminophen'],
  dilaudid: ['hydromorphone'],
  ultram: ['tramadol'],
  ativan: ['lorazepam'],
  xanax: ['alprazolam'],
  valium: ['diazepam'],
  klonopin: ['clonazepam'],
  zoloft: ['sertraline'],
  prozac: ['fluoxetine'],
  paxil: ['paroxetine'],
  celexa: ['citalopram'],
  lexapro: ['escitalopram'],
  effexor: ['venlafaxine'],
  cymbalta: ['duloxetine'],
  nardil: ['phenelzine'],
  parnate: ['tranylcypromine'],
  zyvox: ['linezolid'],
  adderall: ['amphetamine', 'dextroamphetamine'],
  imitrex: ['sumatriptan'],
  prilosec: ['omeprazole'],
  nexium: ['esomeprazole'],
  protonix: ['pantoprazole'],
  bactrim: ['sulfamethoxazole', 'trimethoprim'],
  septra: ['sulfamethoxazole', 'trimethoprim'],
  'co-trimoxazole': ['sulfamethoxazole', 'trimethoprim'],
  cotrimoxazole: ['sulfamethoxazole', 'trimethoprim'],
  'tmp-smx': ['sulfamethoxazole', 'trimethoprim'],
  'smx-tmp': ['sulfamethoxazole', 'trimethoprim'],
  diflucan: ['fluconazole'],
  augmentin: ['amoxicillin', 'clavulanate'],
  zosyn: ['piperacillin', 'tazobactam'],
  amoxil: ['amoxicillin'],
  keflex: ['cephalexin'],
  duricef: ['cefadroxil'],
  ancef: ['cefazolin'],
  ceftin: ['cefuroxime'],
  rocephin: ['ceftriaxone'],
  omnicef: ['cefdinir'],
  fortaz: ['ceftazidime'],
  maxipime: ['cefepime'],
  merrem: ['meropenem'],
  primaxin: ['imipenem', 'cilastatin'],
  invanz: ['ertapenem'],
  azactam: ['aztreonam'],
  trexall: ['methotrexate'],
  zestril: ['lisinopril'],
  prinivil: ['lisinopril'],
  zestoretic: ['lisinopril', 'hydrochlorothiazide'],
  cozaar: ['losartan'],
  diovan: ['valsartan'],
  aldactone: ['spironolactone'],
  aldactazide: ['spironolactone', 'hydrochlorothiazide'],
  inspra: ['eplerenone'],
  dyazide: ['triamterene', 'hydrochlorothiazide'],
  maxzide: ['triamterene', 'hydrochlorothiazide'],
  'k-dur': ['potassium chloride'],
  'klor-con': ['potassium chloride'],
  lopressor: ['metoprolol'],
  toprol: ['metoprolol'],
  lasix: ['furosemide'],
  lanoxin: ['digoxin'],
  cordarone: ['amiodarone'],
  pacerone: ['amiodarone'],
  tikosyn: ['dofetilide'],
  haldol: ['haloperidol'],
  zocor: ['simvastatin'],
  lipitor: ['atorvastatin'],
  viagra: ['sildenafil'],
  cialis: ['tadalafil'],
  tylenol: ['acetaminophen'],
  glucophage: ['metformin'],
};

/**
 * Words RxNorm's precise ingredients add to an ingredient: salts, esters, hydrates. Stripped only
 * after the first word, and only when the whole name is not itself an ingredient ("potassium
 * chloride" stays potassium chloride; "losartan potassium" becomes losartan).
 */
export const SALT_WORDS: ReadonlySet<string> = new Set([
  'sodium',
  'potassium',
  'calcium',
  'magnesium',
  'disodium',
  'hydrochloride',
  'hcl',
  'dihydrochloride',
  'hydrobromide',
  'hbr',
  'citrate',
  'sulfate',
  'sulphate',
  'bisulfate',
  'tartrate',
  'bitartrate',
  'succinate',
  'maleate',
  'mesylate',
  'besylate',
  'fumarate',
  'phosphate',
  'acetate',
  'bromide',
  'chloride',
  'hyclate',
  'lactate',
  'gluconate',
  'malate',
  'tromethamine',
  'trihydrate',
  'dihydrate',
  'monohydrate',
  'hemihydrate',
  'anhydrous',
  'propionate',
  'dipropionate',
  'valerate',
  'xinafoate',
  'medoxomil',
  'etexilate',
  'axetil',
  'pivoxil',
  'dimesylate',
  'mononitrate',
  'base',
]);

/**
 * Strength and release words a written medication carries ("Bactrim DS", "Toprol XL 50 mg"),
 * dropped before the lookup.
 */
const FORM_WORDS: ReadonlySet<string> = new Set([
  'ds',
  'ss',
  'er',
  'xr',
  'sr',
  'cr',
  'xl',
  'la',
  'dr',
  'ec',
  'odt',
  'ir',
  'tablet',
  'tablets',
  'tab',
  'capsule',
  'capsules',
  'cap',
  'oral',
  'injection',
  'solution',
  'mg',
  'mcg',
  'g',
  'ml',
  'units',
]);

const BY_NAME = new Map(INGREDIENTS.map((ingredient) => [ingredient.name, ingredient]));
const BY_RXCUI = new Map(INGREDIENTS.filter((ingredient) => ingredient.rxcui).map((ingredient) => [ingredient.rxcui!, ingredient]));

export const ingredientByName = (name: string): Ingredient | undefined => BY_NAME.get(name);
export const ingredientByRxcui = (rxcui: string): Ingredient | undefined => BY_RXCUI.get(rxcui.trim());

/** The ingredients in a class (for rules written by class). */
export const classMembers = (className: string): string[] =>
  INGREDIENTS.filter((ingredient) => ingredient.classes.includes(className)).map((ingredient) => ingredient.name);

/** Lower case, single spaces, no strength or release words: "  Toprol XL 50 mg " → "toprol". */
export function cleanName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2019`]/g, "'")
    .replace(/\(.*?\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => !FORM_WORDS.has(word) && !/^\d+(\.\d+)?(mg|mcg|g|ml|%)?$/.test(word))
    .join(' ');
}

function lookup(name: string): Ingredient[] | undefined {
  const direct = BY_NAME.get(SYNONYMS[name] ?? name);
  if (direct) return [direct];
  const product = PRODUCTS[name];
  if (product) return product.map((n) => BY_NAME.get(n)!);
  return undefined;
}

/** One name (no combination): itself, a synonym or brand, or the same without salt and ester words. */
function single(name: string): Ingredient[] | undefined {
  const found = lookup(name);
  if (found) return found;
  const words = name.split(' ');
  const kept = [words[0]!, ...words.slice(1).filter((word) => !SALT_WORDS.has(word))].join(' ');
  return kept !== name ? lookup(kept) : undefined;
}

/** What a written medication is made of: its ingredients, or nothing when the vocabulary does not know it. */
export function ingredientsOf(text: string): Ingredient[] | undefined {
  const name = cleanName(text);
  if (!name) return undefined;
  const whole = single(name);
  if (whole) return whole;
  // A combination written out: "sulfamethoxazole/trimethoprim", "oxycodone and acetaminophen".
  const parts = name.split(/\s*(?:\/|\+|,|\band\b|\bwith\b|-)\s*/).filter(Boolean);
  if (parts.length < 2) return undefined;
  const each = parts.map(single);
  if (each.some((found) => !found)) return undefined;
  return [...new Map(each.flat().map((ingredient) => [ingredient!.name, ingredient!])).values()];
}
