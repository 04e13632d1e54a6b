import { daysBetween, localDate } from './clock';
import type { AdmissionType, Encounter } from './encounter';

/**
 * A readmission (CMS HRRP, DOMAIN.md §3): an inpatient admission within 30 days of an index
 * discharge of the same patient, counted in the facility's local calendar days (admission date −
 * discharge date ≤ 30, as HRRP counts from the discharge date), not in 24-hour periods. Planned readmissions are excluded from the measure; an elective
 * admission is taken as planned (a site can refine this with its planned-procedure list).
 */
export const READMISSION_WINDOW_DAYS = 30;

export interface Readmission {
  indexEncounterId: string;
  indexDischargedAt: string;
  /** The unit the index stay was discharged from (the metrics count the readmission there). */
  indexUnit?: string;
  daysSinceDischarge: number;
  planned: boolean;
}

/** The most recent discharge of the patient within the window before this admission, if any. */
export function findReadmission(
  admission: { encounterId: string; admittedAt: string; admissionType: AdmissionType },
  earlier: ReadonlyArray<Pick<Encounter, 'encounterId' | 'class' | 'discharge'> & { unit?: string }>,
  timeZone: string,
): Readmission | undefined {
  const admittedAt = Date.parse(admission.admittedAt);
  const admittedOn = localDate(admittedAt, timeZone);
  const daysSince = (dischargedAt: string) => daysBetween(localDate(dischargedAt, timeZone), admittedOn);
  const index = earlier
    .filter((e) => e.encounterId !== admission.encounterId && (e.class === 'inpatient' || e.class === 'observation'))
    .filter((e) => e.discharge && e.discharge.disposition !== 'expired')
    .map((e) => ({ encounterId: e.encounterId, dischargedAt: e.discharge!.dischargedAt, unit: e.unit }))
    .filter((e) => admittedAt >= Date.parse(e.dischargedAt) && daysSince(e.dischargedAt) <= READMISSION_WINDOW_DAYS)
    .sort((a, b) => Date.parse(b.dischargedAt) - Date.parse(a.dischargedAt))[0];
  if (!index) return undefined;
  return {
    indexEncounterId: index.encounterId,
    indexDischargedAt: index.dischargedAt,
    ...(index.unit ? { indexUnit: index.unit } : {}),
    daysSinceDischarge: daysSince(index.dischargedAt),
    planned: admission.admissionType === 'elective',
  };
}
