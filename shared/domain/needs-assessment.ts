import type { Recorder } from './access';
import { ValidationError } from './errors';

/**
 * The care manager's needs assessment: findings per domain, from a fixed vocabulary so rules can
 * read them. Rules (data below) turn findings into suggested services; a person accepts or
 * rejects each suggestion, with a reason when rejecting. Suggestions are advice, never orders.
 */
export const ASSESSMENT_FINDINGS = {
  medical: ['oxygen-dependent', 'wound-care', 'iv-therapy', 'dialysis', 'new-insulin', 'multiple-medications'],
  functional: [
    'adl-dependent-bathing',
    'adl-dependent-dressing',
    'adl-dependent-toileting',
    'adl-dependent-transferring',
    'adl-dependent-feeding',
    'mobility-impaired',
    'fall-risk',
  ],
  cognitive: ['dementia', 'delirium', 'impaired-decision-making'],
  psychosocial: ['depression', 'substance-use', 'lives-alone', 'social-isolation'],
  caregiver: ['no-caregiver', 'caregiver-limited', 'caregiver-available'],
  housing: ['homeless', 'unstable-housing'],
  nutrition: ['food-insecurity', 'malnutrition-risk', 'special-diet'],
  transportation: ['no-transport'],
  financial: ['uninsured', 'cannot-afford-medications'],
  homeSafety: ['unsafe-home', 'stairs-barrier'],
} as const;
export type AssessmentDomain = keyof typeof ASSESSMENT_FINDINGS;
export type Finding = (typeof ASSESSMENT_FINDINGS)[AssessmentDomain][number];

export const SUGGESTED_SERVICES = [
  'home-health',
  'durable-medical-equipment',
  'meals',
  'nutritionist',
  'home-modification',
  'transportation',
  'dialysis',
  'social-work',
  'housing-assistance',
  'behavioural-health',
  'medication-support',
] as const;
export type SuggestedService = (typeof SUGGESTED_SERVICES)[number];

export interface ServiceRule {
  id: string;
  /** Every group must match; a group matches when any of its findings is present. */
  when: ReadonlyArray<readonly Finding[]>;
  suggest: SuggestedService;
  reason: string;
}

const ADL_DEPENDENT: Finding[] = [
  'adl-dependent-bathing',
  'adl-dependent-dressing',
  'adl-dependent-toileting',
  'adl-dependent-transferring',
  'adl-dependent-feeding',
];

/** Kept as data: a site adds or changes rules without touching code. */
export const SERVICE_RULES: readonly ServiceRule[] = [
  {
    id: 'no-caregiver-adl',
    when: [['no-caregiver', 'caregiver-limited'], ADL_DEPENDENT],
    suggest: 'home-health',
    reason: 'Dependent in daily activities without enough caregiver support',
  },
  {
    id: 'skilled-care-at-home',
    when: [['wound-care', 'iv-therapy']],
    suggest: 'home-health',
    reason: 'Skilled nursing care needed at home',
  },
  { id: 'oxygen', when: [['oxygen-dependent']], suggest: 'durable-medical-equipment', reason: 'Home oxygen needed' },
  { id: 'mobility', when: [['mobility-impaired', 'fall-risk']], suggest: 'durable-medical-equipment', reason: 'Mobility aid needed' },
  { id: 'food-insecurity', when: [['food-insecurity']], suggest: 'meals', reason: 'Food insecurity' },
  {
    id: 'nutrition-risk',
    when: [['malnutrition-risk', 'special-diet']],
    suggest: 'nutritionist',
    reason: 'Nutrition risk or special diet',
  },
  { id: 'unsafe-home', when: [['unsafe-home', 'stairs-barrier']], suggest: 'home-modification', reason: 'Home is not safe as it is' },
  { id: 'no-transport', when: [['no-transport']], suggest: 'transportation', reason: 'No way to reach follow-up care' },
  { id: 'dialysis', when: [['dialysis']], suggest: 'dialysis', reason: 'Outpatient dialysis must be arranged' },
  {
    id: 'cost-of-care',
    when: [['uninsured', 'cannot-afford-medications']],
    suggest: 'social-work',
    reason: 'Cost of care or medicines is a barrier',
  },
  { id: 'housing', when: [['homeless', 'unstable-housing']], suggest: 'housing-assistance', reason: 'No stable place to be discharged to' },
  {
    id: 'behavioural',
    when: [['depression', 'substance-use']],
    suggest: 'behavioural-health',
    reason: 'Behavioural health or substance-use needs',
  },
  {
    id: 'medications',
    when: [['multiple-medications', 'new-insulin']],
    suggest: 'medication-support',
    reason: 'Complex or new medication regimen',
  },
];

export interface Suggestion {
  service: SuggestedService;
  reasons: string[];
  ruleIds: string[];
  /** `by` is the token's (issue 16 item 5); `decidedBy` the display name the body gave. Older records carry a name in `by`. */
  decision?: { outcome: 'accepted' | 'rejected'; reason?: string; by: Recorder | string; decidedBy?: string; at: string };
}

/** One suggestion per service, with every rule that led to it. */
export function suggestServices(findings: readonly Finding[], rules: readonly ServiceRule[] = SERVICE_RULES): Suggestion[] {
  const byService = new Map<SuggestedService, Suggestion>();
  for (const rule of rules) {
    if (!rule.when.every((group) => group.some((finding) => findings.includes(finding)))) continue;
    const current = byService.get(rule.suggest) ?? { service: rule.suggest, reasons: [], ruleIds: [] };
    current.reasons.push(rule.reason);
    current.ruleIds.push(rule.id);
    byService.set(rule.suggest, current);
  }
  return [...byService.values()];
}

/** A re-assessment keeps the decisions already made on services it still suggests. */
export function carryDecisions(next: Suggestion[], previous: readonly Suggestion[] = []): Suggestion[] {
  return next.map((suggestion) => {
    const decided = previous.find((p) => p.service === suggestion.service)?.decision;
    return decided ? { ...suggestion, decision: decided } : suggestion;
  });
}

export interface NeedsAssessment {
  domains: Partial<Record<AssessmentDomain, { findings: Finding[]; notes?: string }>>;
  findings: Finding[];
  suggestions: Suggestion[];
  /** A display name from the body; grants nothing. Who recorded it is `by`. */
  assessedBy: string;
  /** Who recorded it, as the token says (absent on assessments from before issue 16 item 5). */
  by?: Recorder;
  assessedAt: string;
}

/**
 * The assessment as recorded: findings gathered, suggestions computed, earlier decisions kept.
 * `documentedAt` is when it was done, when that was earlier than its recording (documented late);
 * it can be neither before the admission nor in the future.
 */
export function recordNeedsAssessment(
  domains: NeedsAssessment['domains'],
  assessedBy: string,
  now: Date,
  previous?: NeedsAssessment,
  when: { documentedAt?: string; admittedAt?: string } = {},
): NeedsAssessment {
  const assessedAt = when.documentedAt ?? now.toISOString();
  if (Date.parse(assessedAt) > now.getTime())
    throw new ValidationError('The assessment time is in the future', [{ field: 'assessedAt', reason: 'must not be in the future' }]);
  if (when.admittedAt && Date.parse(assessedAt) < Date.parse(when.admittedAt))
    throw new ValidationError('The assessment time is before the admission', [
      { field: 'assessedAt', reason: 'must not be before the admission' },
    ]);
  const findings = Object.values(domains).flatMap((domain) => domain?.findings ?? []);
  return { domains, findings, suggestions: carryDecisions(suggestServices(findings), previous?.suggestions), assessedBy, assessedAt };
}
