import type { Bundle, MedicationStatement, Resource } from '@medplum/fhirtypes';
import type { CarePlanVersion } from './care-plan';
import type { CareTeamMember } from './care-team';
import type { Encounter, Patient } from './encounter';
import { toFhirEncounter, toFhirPatient } from './fhir';
import { toFhirCarePlan, toFhirCareTeam, toFhirConditions, toFhirGoals, toFhirObservation } from './fhir-everything';
import type { ReconciledMedication } from './medications/reconciliation';
import type { Observation } from './monitoring';

/**
 * The transition record sent at discharge to the next provider and the primary care practitioner
 * (42 CFR 482.43(b): the necessary medical information — course, goals of care, treatment
 * preferences, reconciled medications, plan of care), as a FHIR R4 collection Bundle. Delivery
 * (Direct, a FHIR endpoint, an HIE) is the site's: the record is stored and announced.
 */
export interface TransitionRecipient {
  kind: 'next-provider' | 'primary-care-practitioner';
  name: string;
  providerId?: string;
  memberId?: string;
}

export interface TransitionRecord {
  encounterId: string;
  patientId: string;
  facilityId: string;
  recipients: TransitionRecipient[];
  createdAt: string;
  bundle: Bundle;
}

const MEDICATION_STATUS: Record<ReconciledMedication['decision'], MedicationStatement['status']> = {
  continued: 'active',
  changed: 'active',
  new: 'active',
  stopped: 'stopped',
};

function toMedicationStatements(encounter: Encounter): MedicationStatement[] {
  return (encounter.medicationReconciliation?.medications ?? []).map((m, index) => {
    const regimen = m.discharge ?? m.home;
    return {
      resourceType: 'MedicationStatement',
      id: `${encounter.encounterId}-med-${index}`,
      status: MEDICATION_STATUS[m.decision],
      medicationCodeableConcept: { text: m.drug },
      subject: { reference: `Patient/${encounter.patientId}` },
      context: { reference: `Encounter/${encounter.encounterId}` },
      dateAsserted: encounter.medicationReconciliation!.reconciledAt,
      note: [{ text: `${m.decision} at discharge: ${m.reason}` }],
      ...(regimen ? { dosage: [{ text: [regimen.dose, regimen.route, regimen.frequency].filter(Boolean).join(' ') }] } : {}),
    };
  });
}

/** The patient's own goals, treatment preferences and goals of care, as the next provider must read them. */
function goalsAndPreferencesResources(encounter: Encounter): Resource[] {
  const subject = { reference: `Patient/${encounter.patientId}` };
  const stated = encounter.goalsAndPreferences;
  const resources: Resource[] = (stated?.goals ?? []).map((goal, index) => ({
    resourceType: 'Goal',
    id: `${encounter.encounterId}-patient-goal-${index}`,
    lifecycleStatus: 'active',
    description: { text: goal },
    subject,
    expressedBy: subject,
  }));
  const statement = (id: string, text: string, value: string) => ({
    resourceType: 'Observation' as const,
    id: `${encounter.encounterId}-${id}`,
    status: 'final' as const,
    code: { text },
    subject,
    encounter: { reference: `Encounter/${encounter.encounterId}` },
    valueString: value,
  });
  if (stated && stated.treatmentPreferences.length > 0) resources.push(statement('treatment-preferences', 'Treatment preferences', stated.treatmentPreferences.join('; ')));
  if (encounter.goalsOfCare) {
    const { level, codeStatus, directives } = encounter.goalsOfCare;
    resources.push(statement('goals-of-care', 'Goals of care, code status and advance directives', [level, codeStatus, ...directives.map((d) => d.type)].join('; ')));
  }
  return resources;
}

/**
 * Who receives it: the provider that accepted the referral (else the patient's first choice, else
 * where the feed says they went) and the PCP on the care team.
 */
export function transitionRecipients(
  encounter: Encounter,
  team: readonly CareTeamMember[],
  providerName: (id: string) => string | undefined,
  acceptedProviderId?: string,
): TransitionRecipient[] {
  const recipients: TransitionRecipient[] = [];
  const chosen = acceptedProviderId ?? encounter.patientChoice?.chosenProviderIds[0];
  if (chosen) recipients.push({ kind: 'next-provider', providerId: chosen, name: providerName(chosen) ?? chosen });
  else if (encounter.discharge?.dischargedTo) recipients.push({ kind: 'next-provider', name: encounter.discharge.dischargedTo });
  for (const pcp of team.filter((m) => m.role === 'primary-care-practitioner')) recipients.push({ kind: 'primary-care-practitioner', memberId: pcp.memberId, name: pcp.name });
  return recipients;
}

export function transitionBundle(
  parts: { patient: Patient; encounter: Encounter; carePlan?: CarePlanVersion; careTeam: CareTeamMember[]; observations: Observation[] },
  now: Date,
): Bundle {
  const { patient, encounter } = parts;
  const latest = new Map<string, Observation>();
  for (const o of parts.observations) if (!latest.has(o.code) || latest.get(o.code)!.observedAt < o.observedAt) latest.set(o.code, o);
  const resources: Resource[] = [toFhirPatient(patient), toFhirEncounter(encounter), ...toFhirConditions(encounter)];
  if (parts.carePlan) {
    const goals = toFhirGoals(parts.carePlan, patient.patientId);
    resources.push(toFhirCarePlan(parts.carePlan, patient.patientId, goals), ...goals);
  }
  if (parts.careTeam.length > 0) resources.push(toFhirCareTeam(encounter, parts.careTeam));
  resources.push(...toMedicationStatements(encounter), ...[...latest.values()].map((o) => toFhirObservation(o, patient.patientId)));
  resources.push(...goalsAndPreferencesResources(encounter));
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: resources.map((resource) => ({ fullUrl: `urn:carepath:${resource.resourceType}/${resource.id}`, resource })),
  };
}
