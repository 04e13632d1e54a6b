/**
 * Drug allergy cross-sensitivity Carepath checks at medication reconciliation, as data. A rule says
 * which drugs an allergy to some ingredient or class puts at risk besides the allergen itself. Only
 * rules a published source states are here (docs/clinical-safety.md, MED-12..); a site replaces the
 * table with its own knowledge base. Not clinical advice.
 *
 * Sides are written like the interaction table's: an ingredient, `class:<name>` (classes from
 * vocabulary.ts), or alternatives joined by `|`. A rule whose two sides are the same group
 * (`shared-side-chain`) links every member to every other.
 */
export type CrossSensitivityRisk =
  /** As likely as the allergen itself: treated as the allergy (blocks when the allergy is severe or high criticality). */
  | 'same-class'
  /** An identical R1 side chain: treated as the allergy too. */
  | 'shared-side-chain'
  /** A published, low cross-reactivity: shown as a warning, never blocking. */
  | 'low'
  /** Published as NOT cross-reactive: written down so nobody adds it back as a warning; never shown. */
  | 'none';

export interface CrossSensitivityRule {
  id: string;
  allergen: string;
  drug: string;
  risk: CrossSensitivityRisk;
  reason: string;
  source: string;
}

export const ALLERGY_SOURCES = {
  shenoy2019:
    'Shenoy ES, Macy E, Rowe T, Blumenthal KG. Evaluation and Management of Penicillin Allergy: A Review. JAMA 2019;321(2):188-199',
  picard2019:
    'Picard M et al. Cross-reactivity to cephalosporins and carbapenems in penicillin-allergic patients: two systematic reviews and meta-analyses. J Allergy Clin Immunol Pract 2019;7:2722-2738 (unconfirmed: citation details not re-checked)',
  practiceParameter2022:
    'Khan DA et al. Drug allergy: a 2022 practice parameter update (AAAAI/ACAAI). J Allergy Clin Immunol 2022;150:1333-1393 (unconfirmed: recommendation wording not re-checked)',
  strom2003:
    'Strom BL et al. Absence of cross-reactivity between sulfonamide antibiotics and sulfonamide nonantibiotics. N Engl J Med 2003;349:1628-35',
} as const;

export const CROSS_SENSITIVITY_RULES: readonly CrossSensitivityRule[] = [
  {
    id: 'penicillin-class',
    allergen: 'class:penicillin',
    drug: 'class:penicillin',
    risk: 'same-class',
    reason:
      'A penicillin allergy is a class allergy: every penicillin shares the beta-lactam and thiazolidine rings the reaction may be to',
    source: `${ALLERGY_SOURCES.shenoy2019}; ${ALLERGY_SOURCES.practiceParameter2022}`,
  },
  {
    id: 'r1-side-chain-amoxicillin',
    allergen: 'amoxicillin|cefadroxil|cefprozil',
    drug: 'amoxicillin|cefadroxil|cefprozil',
    risk: 'shared-side-chain',
    reason:
      'Amoxicillin, cefadroxil and cefprozil share an identical R1 side chain: cross-reactivity is far higher than between beta-lactams with dissimilar side chains',
    source: `${ALLERGY_SOURCES.picard2019}; ${ALLERGY_SOURCES.practiceParameter2022}`,
  },
  {
    id: 'r1-side-chain-ampicillin',
    allergen: 'ampicillin|cephalexin|cefaclor',
    drug: 'ampicillin|cephalexin|cefaclor',
    risk: 'shared-side-chain',
    reason:
      'Ampicillin, cephalexin and cefaclor share an identical R1 side chain: cross-reactivity is far higher than between beta-lactams with dissimilar side chains',
    source: `${ALLERGY_SOURCES.picard2019}; ${ALLERGY_SOURCES.practiceParameter2022}`,
  },
  {
    id: 'r1-side-chain-ceftazidime',
    allergen: 'ceftazidime|aztreonam',
    drug: 'ceftazidime|aztreonam',
    risk: 'shared-side-chain',
    reason:
      'Aztreonam shares its R1 side chain with ceftazidime (otherwise aztreonam does not cross-react with penicillins or cephalosporins)',
    source: ALLERGY_SOURCES.practiceParameter2022,
  },
  {
    id: 'penicillin-cephalosporin',
    allergen: 'class:penicillin',
    drug: 'class:cephalosporin',
    risk: 'low',
    reason:
      'About 2% of penicillin-allergic patients react to a cephalosporin (not the 8-10% once quoted); higher with an identical R1 side chain',
    source: `${ALLERGY_SOURCES.shenoy2019}; ${ALLERGY_SOURCES.picard2019}`,
  },
  {
    id: 'penicillin-carbapenem',
    allergen: 'class:penicillin',
    drug: 'class:carbapenem',
    risk: 'low',
    reason: 'Under 1% of penicillin-allergic patients react to a carbapenem',
    source: `${ALLERGY_SOURCES.shenoy2019}; ${ALLERGY_SOURCES.picard2019}`,
  },
  {
    id: 'sulfonamide-antibiotic-nonantibiotic',
    allergen: 'class:sulfonamide-antibiotic',
    drug: 'furosemide|hydrochlorothiazide|celecoxib',
    risk: 'none',
    reason:
      'A sulfonamide antibiotic allergy does not cross-react with non-antibiotic sulfonamides (loop and thiazide diuretics, celecoxib): the excess risk is a predisposition to allergy, not cross-reactivity',
    source: ALLERGY_SOURCES.strom2003,
  },
];
