import { NotFoundError } from '../domain/errors';
import { POST_ACUTE_DIRECTORY } from '../domain/post-acute-directory';
import { transitionBundle, transitionRecipients } from '../domain/transition-record';
import type { StepDeps } from './deps';

/**
 * The necessary medical information for the next provider (`receivingProviderId`) and the
 * primary care practitioner, as a FHIR Bundle, stored once per stay; its "Transition record
 * ready" event is what the site's sender (Direct, FHIR push, HIE) picks up. Discharge planning
 * sends it at discharge, a transfer before the patient leaves.
 */
export async function storeTransitionRecord(encounterId: string, receivingProviderId: string | undefined, deps: StepDeps) {
  const existing = await deps.transitionRecords.get(encounterId);
  if (existing) return existing;
  const encounter = await deps.encounters.mustGet(encounterId);
  const patient = await deps.patients.get(encounter.patientId);
  if (!patient) throw new NotFoundError(`Patient of encounter ${encounterId} not found`);
  const [carePlan, careTeam, observations] = await Promise.all([
    deps.carePlans.current(encounterId),
    deps.careTeam.members(encounterId),
    deps.monitoring.observations(encounterId),
  ]);
  const now = deps.now();
  return deps.transitionRecords.putOnce({
    encounterId,
    patientId: encounter.patientId,
    facilityId: encounter.facilityId,
    recipients: transitionRecipients(encounter, careTeam, (id) => POST_ACUTE_DIRECTORY.find((p) => p.providerId === id)?.name, receivingProviderId),
    createdAt: now.toISOString(),
    bundle: transitionBundle({ patient, encounter, ...(carePlan ? { carePlan } : {}), careTeam, observations }, now),
  });
}
