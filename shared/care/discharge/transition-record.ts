import { DISCHARGE_CANCELLED } from '../../domain/adt/apply-to-encounter';
import { NotFoundError } from '../../domain/errors';
import { providerNameOf } from '../../domain/post-acute-directory';
import {
  newVersion,
  retractVersion,
  supersedeVersion,
  transitionBundle,
  transitionRecipients,
  type TransitionRecordVersion,
} from '../../domain/transition-record';
import type { StepDeps } from '../../workflow/deps';

type RecordDeps = Pick<
  StepDeps,
  'transitionRecords' | 'encounters' | 'patients' | 'carePlans' | 'careTeam' | 'monitoring' | 'allergies' | 'now'
>;

/**
 * The necessary medical information for the next provider (`receivingProviderId`) and the
 * primary care practitioner, as a FHIR Bundle: one version per discharge (the encounter's
 * planning run), so a retried step finds its version and sends nothing twice, and the discharge
 * after a cancelled one (A13) sends a new version. A new version's "Transition record ready"
 * event is what the site's sender (Direct, FHIR push, HIE) picks up. Discharge planning sends it
 * at discharge, a transfer before the patient leaves.
 */
export async function storeTransitionRecord(
  encounterId: string,
  receivingProviderId: string | undefined,
  deps: RecordDeps,
): Promise<TransitionRecordVersion> {
  const encounter = await deps.encounters.mustGet(encounterId);
  const run = encounter.planningRun ?? 1;
  for (let attempt = 1; ; attempt += 1) {
    const versions = await deps.transitionRecords.versions(encounterId);
    const ofThisDischarge = versions.find((v) => v.planningRun === run && v.status !== 'retracted');
    if (ofThisDischarge) return ofThisDischarge;
    const patient = await deps.patients.get(encounter.patientId);
    if (!patient) throw new NotFoundError(`Patient of encounter ${encounterId} not found`);
    const [carePlan, careTeam, observations, allergies] = await Promise.all([
      deps.carePlans.current(encounterId),
      deps.careTeam.members(encounterId),
      deps.monitoring.observations(encounterId),
      deps.allergies.get(encounter.patientId),
    ]);
    const now = deps.now();
    const version = (versions.at(-1)?.version ?? 0) + 1;
    const record = newVersion(
      {
        encounterId,
        patientId: encounter.patientId,
        facilityId: encounter.facilityId,
        recipients: transitionRecipients(encounter, careTeam, (id) => providerNameOf(id, encounter.patientChoice), receivingProviderId),
        createdAt: now.toISOString(),
        bundle: transitionBundle(
          { patient, encounter, ...(carePlan ? { carePlan } : {}), careTeam, observations, ...(allergies ? { allergies } : {}) },
          now,
        ),
      },
      version,
      run,
    );
    if (await deps.transitionRecords.putVersion(record)) {
      // An earlier version still current (its retraction not yet applied, or never due) is replaced.
      for (const earlier of versions.filter((v) => v.status === 'current')) {
        await deps.transitionRecords.changeVersion(supersedeVersion(earlier, version, now), ['current']);
      }
      // An A13 between reading the encounter and this write may have looked for versions before
      // this one existed: then the retraction is done here (either way it happens once).
      const after = await deps.encounters.mustGet(encounterId);
      if ((after.planningRun ?? 1) !== run) {
        await retractTransitionRecords(encounterId, run, { reason: DISCHARGE_CANCELLED, at: after.reopenedAt ?? now.toISOString() }, deps);
        return (await deps.transitionRecords.versions(encounterId)).find((v) => v.version === version) ?? record;
      }
      return record;
    }
    // Another attempt took this version number first: read again (it may be this discharge's).
    if (attempt >= 5) throw new Error(`Transition record version ${version} of ${encounterId} kept being taken`);
  }
}

/**
 * A cancelled discharge (A13) retracts every version written for it that is not retracted yet,
 * each recipient getting a notice (shared/domain/transition-record.ts). Conditional, so a
 * redelivered change or a racing writer retracts once.
 */
export async function retractTransitionRecords(
  encounterId: string,
  planningRun: number,
  why: { reason: string; at: string },
  deps: Pick<StepDeps, 'transitionRecords' | 'now'>,
): Promise<number[]> {
  const retracted: number[] = [];
  for (let pass = 1; pass <= 5; pass += 1) {
    const due = (await deps.transitionRecords.versions(encounterId)).filter(
      (v) => v.planningRun === planningRun && v.status !== 'retracted',
    );
    if (due.length === 0) return retracted;
    for (const version of due) {
      // Lost to a writer that superseded it meanwhile: the next pass reads it again.
      if (await deps.transitionRecords.changeVersion(retractVersion(version, why.reason, why.at, deps.now()), [version.status]))
        retracted.push(version.version);
    }
  }
  throw new Error(`Transition records of ${encounterId} kept changing while being retracted`);
}
