import { chooseCareManager, type RosterEntry } from '../../domain/caseloads';
import type { Encounter } from '../../domain/encounter';
import { needsDischargePlanning } from '../../domain/workflows';
import { siteConfig } from '../../site-config';
import { logger } from '../../observability/logger';
import type { Stores } from '../../store';

export type CaseloadDeps = Pick<Stores, 'caseloads' | 'encounters'> & { roster: (facilityId: string) => RosterEntry[]; now: () => Date };

export const rosterFromSiteConfig = (facilityId: string): RosterEntry[] => siteConfig().careManagers[facilityId] ?? [];

/**
 * A stay that needs discharge planning gets a care manager of its unit with room, least loaded
 * first. A caseload that filled meanwhile is retried with fresh loads; when nobody has
 * room the stay stays with the care-manager pool (its tasks are unassigned) and a warning is logged.
 */
export async function assignCareManager(admitted: Encounter, deps: CaseloadDeps): Promise<void> {
  if (admitted.careManagerId || !needsDischargePlanning(admitted)) return;
  const roster = deps.roster(admitted.facilityId).filter((cm) => cm.units.includes(admitted.unit));
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const loads = Object.fromEntries(
      await Promise.all(
        roster.map(async (cm) => [cm.careManagerId, await deps.caseloads.load(admitted.facilityId, cm.careManagerId)] as const),
      ),
    );
    const chosen = chooseCareManager(roster, admitted.unit, loads);
    const current = await deps.encounters.get(admitted.encounterId);
    if (!current || current.careManagerId || !needsDischargePlanning(current)) return;
    if (!chosen) {
      logger.warn('No care manager has room on this unit', { encounterId: admitted.encounterId, unit: admitted.unit });
      return;
    }
    try {
      await deps.caseloads.assign(current, chosen, deps.now());
      return;
    } catch (error) {
      // Full meanwhile (another stay took the last place): choose again with fresh loads.
      if ((error as Error).name !== 'ConflictError' || attempt === 5) throw error;
    }
  }
}

/** A discharged or cancelled stay leaves its care manager's caseload. */
export async function releaseCareManager(before: Encounter, after: Encounter, deps: CaseloadDeps): Promise<void> {
  const ended = (e: Encounter) => e.status === 'discharged' || e.status === 'cancelled';
  if (after.careManagerId && ended(after) && !ended(before))
    await deps.caseloads.releaseStay(after.facilityId, after.careManagerId, after.encounterId);
}
