import { addMonths, localDate, type LocalDate } from '../clock';
import type { Encounter } from '../encounter';

/**
 * Prior use of the hospital, counted from the stays Carepath holds for the patient (never typed
 * by hand when the record has them):
 * - LACE "E" (van Walraven et al., CMAJ 2010): emergency department visits in the 6 months before
 *   the admission, not counting the visit that led to it. An ED visit is an encounter of class
 *   `emergency` (HL7 PV1-2 "E", or `class: "emergency"` through the API).
 * - HOSPITAL "A" (Donzé et al., JAMA Intern Med 2013): hospital admissions in the 12 months before
 *   the index admission: encounters of class `inpatient` (observation, ED and outpatient visits
 *   are not admissions).
 * Cancelled stays (A11, entered in error) never count. Windows are the facility's local calendar:
 * a stay counts when its local admission date is on or after the index's local admission date
 * minus 6 (12) months, and it began before the index stay.
 */
export const ED_WINDOW_MONTHS = 6;
export const ADMISSION_WINDOW_MONTHS = 12;
/**
 * An ED visit that began at most this long before the admission is the one that led to it (the
 * ED stay before a bed; Carepath's reading, unconfirmed: ADT feeds usually send it as the same
 * visit turned inpatient by A06, which is the index stay itself and never counted).
 */
export const LEADING_ED_VISIT_HOURS = 24;

export type PriorStay = Pick<Encounter, 'encounterId' | 'class' | 'admittedAt' | 'status'>;

export interface DerivedCount {
  count: number;
  /** The stays counted, oldest first: a clinician can check each. */
  encounterIds: string[];
  /** First local date of the window (the window ends when the index stay began). */
  since: LocalDate;
}

export interface PriorUtilization {
  edVisitsPrior6Months: DerivedCount;
  admissionsPrior12Months: DerivedCount;
  /** When Carepath counted (the stays it held then). */
  derivedAt: string;
}

export function derivePriorUtilization(
  index: Pick<Encounter, 'encounterId' | 'admittedAt'>,
  stays: readonly PriorStay[],
  timeZone: string,
  now: Date,
): PriorUtilization {
  const indexDay = localDate(index.admittedAt, timeZone);
  const indexMs = Date.parse(index.admittedAt);
  const earlier = stays
    .filter((stay) => stay.encounterId !== index.encounterId && stay.status !== 'cancelled' && Date.parse(stay.admittedAt) < indexMs)
    .sort((a, b) => a.admittedAt.localeCompare(b.admittedAt));
  const within = (months: number, cls: PriorStay['class']) => {
    const since = addMonths(indexDay, -months);
    return { since, stays: earlier.filter((stay) => stay.class === cls && localDate(stay.admittedAt, timeZone) >= since) };
  };
  const ed = within(ED_WINDOW_MONTHS, 'emergency');
  const leading = ed.stays.filter((stay) => indexMs - Date.parse(stay.admittedAt) <= LEADING_ED_VISIT_HOURS * 3_600_000).at(-1);
  const edCounted = ed.stays.filter((stay) => stay !== leading);
  const admissions = within(ADMISSION_WINDOW_MONTHS, 'inpatient');
  const counted = (list: PriorStay[], since: LocalDate): DerivedCount => ({
    count: list.length,
    encounterIds: list.map((s) => s.encounterId),
    since,
  });
  return {
    edVisitsPrior6Months: counted(edCounted, ed.since),
    admissionsPrior12Months: counted(admissions.stays, admissions.since),
    derivedAt: now.toISOString(),
  };
}
