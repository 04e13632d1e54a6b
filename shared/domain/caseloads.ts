import { ValidationError } from './errors';

/**
 * Caseloads: each inpatient stay gets a care manager at admission, by unit and current load
 * (the roster is configuration: who covers which units, and how many patients each may carry).
 * The load counts stays not yet discharged.
 */
export interface RosterEntry {
  careManagerId: string;
  name: string;
  units: string[];
  maxCaseload: number;
}

/** Who takes a new stay on this unit: a care manager covering it, with room, least loaded first (then by id, so the choice is stable). */
export function chooseCareManager(
  roster: readonly RosterEntry[],
  unit: string,
  loads: Readonly<Record<string, number>>,
): RosterEntry | undefined {
  return roster
    .filter((cm) => cm.units.includes(unit) && (loads[cm.careManagerId] ?? 0) < cm.maxCaseload)
    .sort((a, b) => (loads[a.careManagerId] ?? 0) - (loads[b.careManagerId] ?? 0) || a.careManagerId.localeCompare(b.careManagerId))[0];
}

export function rosterEntry(roster: readonly RosterEntry[], careManagerId: string, field = 'careManagerId'): RosterEntry {
  const entry = roster.find((cm) => cm.careManagerId === careManagerId);
  if (!entry) throw new ValidationError('Unknown care manager', [{ field, reason: 'is not a care manager of this facility' }]);
  return entry;
}

export interface CaseloadEntry {
  encounterId: string;
  unit: string;
  assignedAt: string;
}
