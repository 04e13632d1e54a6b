import type { Recorder } from './access';

/**
 * What the patient wants (42 CFR 482.43: planning is built around the patient's goals and
 * treatment preferences) and how much treatment they want (advance directives, goals of care).
 * Both are recorded per stay, by a person, and read by the discharge workflow.
 */
export interface GoalsAndPreferences {
  goals: string[];
  treatmentPreferences: string[];
  caregiver?: { name: string; relationship: string; phone?: string; available: boolean };
  representative?: { name: string; relationship: string; authority: 'healthcare-proxy' | 'guardian' | 'power-of-attorney' | 'other' };
  /** BCP 47 tag, e.g. "en", "es", "zh-Hant". */
  preferredLanguage: string;
  interpreterNeeded: boolean;
  /** Providers the patient asked for by name; the choice list still shows every eligible one. */
  preferredPostAcuteProviders: string[];
  /** A display name from the body; grants nothing. Who recorded it is `by`. */
  recordedBy: string;
  /** Who recorded it, as the token says (absent on records from before issue 16 item 5). */
  by?: Recorder;
  recordedAt: string;
}

export const CARE_GOAL_LEVELS = ['full-treatment', 'selective-treatment', 'comfort-focused'] as const;
export type CareGoalLevel = (typeof CARE_GOAL_LEVELS)[number];

export const CODE_STATUSES = ['full-code', 'dnr', 'dnr-dni', 'limited-interventions'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

export const DIRECTIVE_TYPES = ['living-will', 'healthcare-proxy', 'polst', 'molst', 'dnr-order', 'other'] as const;

export interface GoalsOfCare {
  level: CareGoalLevel;
  codeStatus: CodeStatus;
  directives: Array<{ type: (typeof DIRECTIVE_TYPES)[number]; documentReference?: string; signedOn?: string }>;
  /** A display name from the body; grants nothing. Who recorded it is `by` (a physician's or an EHR's token). */
  recordedBy: string;
  by?: Recorder;
  recordedAt: string;
}

/** A comfort-focused goal points discharge planning at hospice and palliative options. */
export const wantsComfortCare = (goals: Pick<GoalsOfCare, 'level'> | undefined): boolean => goals?.level === 'comfort-focused';
