/**
 * ICD-10 codes → Charlson comorbidity categories, after Quan et al., "Coding algorithms for
 * defining comorbidities in ICD-9-CM and ICD-10 administrative data", Med Care 2005;43:1130-9.
 * Data, not code: a site may replace it. Entries are code prefixes without the dot; "I42.5-I42.9"
 * style ranges are written out.
 */
export const CHARLSON_CATEGORIES = [
  'myocardial-infarction',
  'congestive-heart-failure',
  'peripheral-vascular-disease',
  'cerebrovascular-disease',
  'dementia',
  'chronic-pulmonary-disease',
  'connective-tissue-disease',
  'peptic-ulcer',
  'mild-liver-disease',
  'diabetes-uncomplicated',
  'diabetes-with-end-organ-damage',
  'hemiplegia',
  'renal-disease',
  'malignancy',
  'moderate-severe-liver-disease',
  'metastatic-solid-tumour',
  'aids',
] as const;
export type CharlsonCategory = (typeof CHARLSON_CATEGORIES)[number];

/** Charlson weights as DOMAIN.md §3 lists them (leukaemia and lymphoma are in `malignancy`). */
export const CHARLSON_WEIGHTS: Record<CharlsonCategory, number> = {
  'myocardial-infarction': 1,
  'congestive-heart-failure': 1,
  'peripheral-vascular-disease': 1,
  'cerebrovascular-disease': 1,
  dementia: 1,
  'chronic-pulmonary-disease': 1,
  'connective-tissue-disease': 1,
  'peptic-ulcer': 1,
  'mild-liver-disease': 1,
  'diabetes-uncomplicated': 1,
  'diabetes-with-end-organ-damage': 2,
  hemiplegia: 2,
  'renal-disease': 2,
  malignancy: 2,
  'moderate-severe-liver-disease': 3,
  'metastatic-solid-tumour': 6,
  aids: 6,
};

/** When both are present only the more severe counts (Charlson's hierarchy). */
export const CHARLSON_SUPERSEDES: ReadonlyArray<readonly [CharlsonCategory, CharlsonCategory]> = [
  ['moderate-severe-liver-disease', 'mild-liver-disease'],
  ['diabetes-with-end-organ-damage', 'diabetes-uncomplicated'],
  ['metastatic-solid-tumour', 'malignancy'],
];

const range = (letter: string, from: number, to: number, width = 2) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${letter}${String(from + i).padStart(width, '0')}`);
const decimals = (stem: string, digits: number[]) => digits.map((d) => `${stem}${d}`);
const diabetes = (fourth: number[]) => ['E10', 'E11', 'E12', 'E13', 'E14'].flatMap((stem) => decimals(stem, fourth));

export const QUAN_ICD10: Record<CharlsonCategory, string[]> = {
  'myocardial-infarction': ['I21', 'I22', 'I252'],
  'congestive-heart-failure': ['I099', 'I110', 'I130', 'I132', 'I255', 'I420', ...decimals('I42', [5, 6, 7, 8, 9]), 'I43', 'I50', 'P290'],
  'peripheral-vascular-disease': ['I70', 'I71', 'I731', 'I738', 'I739', 'I771', 'I790', 'I792', 'K551', 'K558', 'K559', 'Z958', 'Z959'],
  'cerebrovascular-disease': ['G45', 'G46', 'H340', ...range('I', 60, 69)],
  dementia: ['F00', 'F01', 'F02', 'F03', 'F051', 'G30', 'G311'],
  'chronic-pulmonary-disease': ['I278', 'I279', ...range('J', 40, 47), ...range('J', 60, 67), 'J684', 'J701', 'J703'],
  'connective-tissue-disease': ['M05', 'M06', 'M315', 'M32', 'M33', 'M34', 'M351', 'M353', 'M360'],
  'peptic-ulcer': ['K25', 'K26', 'K27', 'K28'],
  'mild-liver-disease': [
    'B18',
    ...decimals('K70', [0, 1, 2, 3, 9]),
    ...decimals('K71', [3, 4, 5, 7]),
    'K73',
    'K74',
    ...decimals('K76', [0, 2, 3, 4, 8, 9]),
    'Z944',
  ],
  'diabetes-uncomplicated': diabetes([0, 1, 6, 8, 9]),
  'diabetes-with-end-organ-damage': diabetes([2, 3, 4, 5, 7]),
  hemiplegia: ['G041', 'G114', 'G801', 'G802', 'G81', 'G82', ...decimals('G83', [0, 1, 2, 3, 4, 9])],
  'renal-disease': [
    'I120',
    'I131',
    ...decimals('N03', [2, 3, 4, 5, 6, 7]),
    ...decimals('N05', [2, 3, 4, 5, 6, 7]),
    'N18',
    'N19',
    'N250',
    'Z490',
    'Z491',
    'Z492',
    'Z940',
    'Z992',
  ],
  malignancy: [
    ...range('C', 0, 26),
    ...range('C', 30, 34),
    ...range('C', 37, 41),
    'C43',
    ...range('C', 45, 58),
    ...range('C', 60, 76),
    ...range('C', 81, 85),
    'C88',
    ...range('C', 90, 97),
  ],
  'moderate-severe-liver-disease': ['I850', 'I859', 'I864', 'I982', 'K704', 'K711', 'K721', 'K729', 'K765', 'K766', 'K767'],
  'metastatic-solid-tumour': ['C77', 'C78', 'C79', 'C80'],
  aids: ['B20', 'B21', 'B22', 'B24'],
};
