import type { AdmissionType, EncounterClass } from '../encounter';
import type { DischargeDisposition } from '../discharge-plan';

/**
 * How HL7 codes become Carepath values. Sites send local variants (NUBC disposition codes
 * instead of table 0112, custom patient classes), so these are data: a site replaces a table,
 * it does not change code. Codes not listed map to the fallback and keep their raw value.
 */
export interface AdtMappings {
  /** PV1-2, table 0004. */
  patientClass: Record<string, EncounterClass>;
  patientClassFallback: EncounterClass;
  /**
   * PV1-18 patient type (user-defined table 0018), consulted before PV1-2: how most sites mark an
   * observation stay, since table 0004 has no observation class. Codes not listed defer to PV1-2.
   */
  patientType: Record<string, EncounterClass>;
  /** PV1-4, table 0007. */
  admissionType: Record<string, AdmissionType>;
  /** Unknown admission types screen in (urgent) rather than out. */
  admissionTypeFallback: AdmissionType;
  /** PV1-36: table 0112 and common NUBC codes. */
  dischargeDisposition: Record<string, DischargeDisposition>;
  dischargeDispositionFallback: DischargeDisposition;
  /** PID-8, table 0001. */
  sex: Record<string, 'female' | 'male' | 'other' | 'unknown'>;
}

export const DEFAULT_ADT_MAPPINGS: AdtMappings = {
  // OBS/OBV are site codes, not table 0004 (whose codes are one letter, so they cannot clash).
  patientClass: {
    I: 'inpatient',
    B: 'inpatient',
    E: 'emergency',
    O: 'outpatient',
    R: 'outpatient',
    P: 'preadmission',
    OBS: 'observation',
    OBV: 'observation',
  },
  patientClassFallback: 'outpatient',
  patientType: { OBS: 'observation', OBV: 'observation' },
  admissionType: { E: 'emergency', U: 'urgent', A: 'trauma', L: 'urgent', R: 'elective', C: 'elective', N: 'newborn' },
  admissionTypeFallback: 'urgent',
  dischargeDisposition: {
    '01': 'home',
    '02': 'another-hospital',
    '03': 'skilled-nursing',
    '04': 'intermediate-care',
    '05': 'other-institution',
    '06': 'home-health',
    '07': 'left-against-medical-advice',
    '08': 'home-iv',
    '20': 'expired',
    '40': 'expired',
    '41': 'expired',
    '42': 'expired',
    // NUBC (unconfirmed here; sites verify against their interface engine's table).
    '50': 'hospice',
    '51': 'hospice',
    '62': 'inpatient-rehab',
    '63': 'long-term-care-hospital',
  },
  dischargeDispositionFallback: 'other',
  sex: { F: 'female', M: 'male', O: 'other', A: 'other', N: 'other', U: 'unknown' },
};
