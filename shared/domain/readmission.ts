import type { AdmissionType, Encounter } from './encounter';

/**
 * A readmission (CMS HRRP, DOMAIN.md §3): an inpatient admission within 30 days of an index
 * discharge of the same patient. Planned readmissions are excluded from the measure; an elective
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

const DAY_MS = 86_400_000;

/** The most recent discharge of the patient within the window before this admission, if any. */
export function findReadmission(
  admission: { encounterId: string; admittedAt: string; admissionType: AdmissionType },
  earlier: ReadonlyArray<Pick<Encounter, 'encounterId' | 'class' | 'discharge'> & { unit?: string }>,
): Readmission | undefined {
  const admittedAt = Date.parse(admission.admittedAt);
  const index = earlier
    .filter((e) => e.encounterId !== admission.encounterId && (e.class === 'inpatient' || e.class === 'observation'))
    .filter((e) => e.discharge && e.discharge.disposition !== 'expired')
    .map((e) => ({ encounterId: e.encounterId, dischargedAt: e.discharge!.dischargedAt, unit: e.unit }))
    .filter((e) => {
      const gap = admittedAt - Date.parse(e.dischargedAt);
      return gap >= 0 && gap <= READMISSION_WINDOW_DAYS * DAY_MS;
    })
    .sort((a, b) => Date.parse(b.dischargedAt) - Date.parse(a.dischargedAt))[0];
  if (!index) return undefined;
  return {
    indexEncounterId: index.encounterId,
    indexDischargedAt: index.dischargedAt,
    ...(index.unit ? { indexUnit: index.unit } : {}),
    daysSinceDischarge: Math.floor((admittedAt - Date.parse(index.dischargedAt)) / DAY_MS),
    planned: admission.admissionType === 'elective',
  };
}
