import { z } from 'zod';
import { POST_ACUTE_DIRECTORY } from '../../shared/domain/post-acute-directory';
import { transitionBundle, transitionRecipients } from '../../shared/domain/transition-record';
import { NotFoundError } from '../../shared/domain/errors';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({ encounterId: z.string().min(1) });

/**
 * State "Send transition record": the necessary medical information for the next provider and
 * the primary care practitioner, as a FHIR Bundle, stored once; its "Transition record ready"
 * event is what the site's sender (Direct, FHIR push, HIE) picks up.
 */
export async function sendTransitionRecord({ encounterId }: z.infer<typeof input>, deps: StepDeps) {
  const existing = await deps.transitionRecords.get(encounterId);
  if (existing) return { recipients: existing.recipients.length };
  const encounter = await deps.encounters.mustGet(encounterId);
  const patient = await deps.patients.get(encounter.patientId);
  if (!patient) throw new NotFoundError(`Patient of encounter ${encounterId} not found`);
  const [carePlan, careTeam, observations, referrals] = await Promise.all([
    deps.carePlans.current(encounterId),
    deps.careTeam.members(encounterId),
    deps.monitoring.observations(encounterId),
    deps.referrals.list(encounterId),
  ]);
  const accepted = referrals.find((r) => r.referral.status === 'accepted')?.referral.providerId;
  const now = deps.now();
  const record = await deps.transitionRecords.putOnce({
    encounterId,
    patientId: encounter.patientId,
    facilityId: encounter.facilityId,
    recipients: transitionRecipients(encounter, careTeam, (id) => POST_ACUTE_DIRECTORY.find((p) => p.providerId === id)?.name, accepted),
    createdAt: now.toISOString(),
    bundle: transitionBundle({ patient, encounter, ...(carePlan ? { carePlan } : {}), careTeam, observations }, now),
  });
  return { recipients: record.recipients.length };
}

export const handler = workflowStep(input, (event) => sendTransitionRecord(event, stepDeps()));
