import type { Recorder } from './access';

/**
 * Monitoring: observations (vitals, labs by LOINC code, patient-reported outcomes) with units,
 * checked against the thresholds of the care plan. A value outside them raises an alert and a
 * "review the care plan" task for the lead care manager.
 */
export interface Observation {
  observationId: string;
  encounterId: string;
  /** LOINC code, e.g. 8867-4 heart rate, 2951-2 sodium, 72514-3 pain severity 0–10. */
  code: string;
  value: number;
  unit: string;
  observedAt: string;
  /** A display name from the body; grants nothing. Who recorded it is `by`, from the token. */
  recordedBy: string;
  by?: Recorder;
}

export interface Threshold {
  code: string;
  unit: string;
  min?: number;
  max?: number;
  /** Shown in the alert, e.g. "Call if weight gain > 2 kg". */
  label?: string;
}

export interface Breach {
  code: string;
  value: number;
  unit: string;
  limit: 'min' | 'max';
  threshold: number;
  label?: string;
}

/** The thresholds this observation breaks (same code and unit; other units are not compared). */
export function breaches(observation: Pick<Observation, 'code' | 'value' | 'unit'>, thresholds: readonly Threshold[]): Breach[] {
  return thresholds
    .filter((t) => t.code === observation.code && t.unit === observation.unit)
    .flatMap((t): Breach[] => {
      const base = { code: t.code, value: observation.value, unit: t.unit, ...(t.label ? { label: t.label } : {}) };
      if (t.min !== undefined && observation.value < t.min) return [{ ...base, limit: 'min', threshold: t.min }];
      if (t.max !== undefined && observation.value > t.max) return [{ ...base, limit: 'max', threshold: t.max }];
      return [];
    });
}
