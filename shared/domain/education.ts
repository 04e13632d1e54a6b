import type { Recorder } from './access';

/**
 * Patient and caregiver education with teach-back: the person explains it back, and the
 * educator records whether they understood. Anything not understood is still open, and the
 * discharge workflow can see it.
 */
export const EDUCATION_AUDIENCES = ['patient', 'caregiver', 'patient-and-caregiver'] as const;
export const EDUCATION_METHODS = ['verbal', 'written', 'demonstration', 'video', 'interpreter-assisted'] as const;
export const TEACH_BACK_OUTCOMES = ['understood', 'needs-reinforcement', 'not-understood'] as const;
export type TeachBackOutcome = (typeof TEACH_BACK_OUTCOMES)[number];

export interface EducationItem {
  itemId: string;
  encounterId: string;
  facilityId: string;
  topic: string;
  audience: (typeof EDUCATION_AUDIENCES)[number];
  language: string;
  method: (typeof EDUCATION_METHODS)[number];
  /** Absent until the first teach-back. */
  /** `educator` is who taught (an attribution, possibly another person); `by` who recorded it, from the token. */
  teachBack?: { outcome: TeachBackOutcome; educator: string; notes?: string; by?: Recorder; at: string };
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Open: never taught back, or not yet understood. */
export const isOpen = (item: Pick<EducationItem, 'teachBack'>): boolean => item.teachBack?.outcome !== 'understood';
