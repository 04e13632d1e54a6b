import type { Bundle, Communication, Identifier, MedicationStatement, Resource } from '@medplum/fhirtypes';
import type { CarePlanVersion } from './care-plan';
import type { CareTeamMember } from './care-team';
import type { Encounter, Patient } from './encounter';
import { toFhirEncounter, toFhirPatient } from './fhir';
import { toFhirCarePlan, toFhirCareTeam, toFhirConditions, toFhirGoals, toFhirObservation } from './fhir-everything';
import { toFhirAllergyIntolerances, type AllergyList } from './medications/allergies';
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
  /** 1, 2, …: one version per discharge. Records written before versions have none and read as 1. */
  version?: number;
  /** The discharge (the encounter's planning run) this version describes. */
  planningRun?: number;
  status?: TransitionVersionStatus;
  /** What was sent to whom, one entry per recipient. */
  sends?: TransitionSend[];
  /** Why the version no longer holds (its discharge was cancelled), and when. */
  retraction?: { reason: string; at: string; retractedAt: string };
  supersededAt?: string;
  supersededBy?: number;
}

/**
 * current: what the recipients should act on; retracted: its discharge was cancelled and each
 * recipient was told so; superseded: a later discharge's version replaced it.
 */
export type TransitionVersionStatus = 'current' | 'retracted' | 'superseded';

export interface TransitionSend {
  /** Stable within a version: the kind and the provider or care-team member (else the name). */
  recipientKey: string;
  recipient: TransitionRecipient;
  status: 'sent' | 'retracted';
  sentAt: string;
  /** The notice this recipient was sent when the version was retracted. */
  retraction?: { sentAt: string; notice: Communication };
}

/** A stored record with every versioning field filled in. */
export type TransitionRecordVersion = TransitionRecord & Required<Pick<TransitionRecord, 'version' | 'planningRun' | 'status' | 'sends'>>;

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
  if (stated && stated.treatmentPreferences.length > 0)
    resources.push(statement('treatment-preferences', 'Treatment preferences', stated.treatmentPreferences.join('; ')));
  if (encounter.goalsOfCare) {
    const { level, codeStatus, directives } = encounter.goalsOfCare;
    resources.push(
      statement(
        'goals-of-care',
        'Goals of care, code status and advance directives',
        [level, codeStatus, ...directives.map((d) => d.type)].join('; '),
      ),
    );
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
  for (const pcp of team.filter((m) => m.role === 'primary-care-practitioner'))
    recipients.push({ kind: 'primary-care-practitioner', memberId: pcp.memberId, name: pcp.name });
  return recipients;
}

export function transitionBundle(
  parts: {
    patient: Patient;
    encounter: Encounter;
    carePlan?: CarePlanVersion;
    careTeam: CareTeamMember[];
    observations: Observation[];
    allergies?: AllergyList;
  },
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
  // Allergies beside the medications: the next prescriber checks new drugs against them.
  resources.push(
    ...toMedicationStatements(encounter),
    ...toFhirAllergyIntolerances(parts.allergies),
    ...[...latest.values()].map((o) => toFhirObservation(o, patient.patientId)),
  );
  resources.push(...goalsAndPreferencesResources(encounter));
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: resources.map((resource) => ({ fullUrl: `urn:carepath:${resource.resourceType}/${resource.id}`, resource })),
  };
}

const RECORD_SYSTEM = 'urn:carepath:transition-record';
const RETRACTION_SYSTEM = 'urn:carepath:transition-record-retraction';
const COMMUNICATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/communication-category';

/** How a recipient (and a retraction notice) names a version: the Bundle's business identifier. */
export const bundleIdentifier = (encounterId: string, version: number): Identifier => ({
  system: RECORD_SYSTEM,
  value: `${encounterId}/v${version}`,
});

const recipientKey = (recipient: TransitionRecipient) =>
  `${recipient.kind}:${recipient.providerId ?? recipient.memberId ?? recipient.name}`;

/** A stored record as a version. A record from before versioning is version 1, current, sent to each recipient when written. */
export function asVersion(record: TransitionRecord): TransitionRecordVersion {
  return {
    ...record,
    version: record.version ?? 1,
    planningRun: record.planningRun ?? 1,
    status: record.status ?? 'current',
    sends:
      record.sends ??
      record.recipients.map((recipient) => ({
        recipientKey: recipientKey(recipient),
        recipient,
        status: 'sent' as const,
        sentAt: record.createdAt,
      })),
  };
}

/** A new current version: its Bundle carries the version's identifier so a later notice can name it. */
export function newVersion(
  record: Omit<TransitionRecord, 'version' | 'planningRun' | 'status' | 'sends' | 'retraction' | 'supersededAt' | 'supersededBy'>,
  version: number,
  planningRun: number,
): TransitionRecordVersion {
  const identifier = bundleIdentifier(record.encounterId, version);
  return asVersion({ ...record, version, planningRun, status: 'current', bundle: { ...record.bundle, identifier } });
}

/**
 * The notice a recipient gets when a version it received is retracted. A FHIR R4 Bundle has no
 * status, so a copy already delivered cannot be marked in place: the recipient is sent a
 * Communication (category notification) that is `about` the Bundle by its identifier and says why.
 */
export function retractionNotice(
  record: TransitionRecordVersion,
  send: TransitionSend,
  reason: string,
  at: string,
  now: Date,
): Communication {
  return {
    resourceType: 'Communication',
    identifier: [{ system: RETRACTION_SYSTEM, value: `${record.encounterId}/v${record.version}/${send.recipientKey}` }],
    status: 'completed',
    category: [{ coding: [{ system: COMMUNICATION_CATEGORY, code: 'notification', display: 'Notification' }] }],
    priority: 'urgent',
    subject: { reference: `Patient/${record.patientId}` },
    encounter: { reference: `Encounter/${record.encounterId}` },
    about: [
      {
        type: 'Bundle',
        identifier: bundleIdentifier(record.encounterId, record.version),
        display: `Transition record version ${record.version} of ${record.createdAt}`,
      },
    ],
    sent: now.toISOString(),
    recipient: [
      {
        display: send.recipient.name,
        ...(send.recipient.providerId ? { identifier: { system: 'urn:carepath:provider', value: send.recipient.providerId } } : {}),
      },
    ],
    reasonCode: [{ text: reason }],
    payload: [
      {
        contentString:
          `The transition record version ${record.version} sent ${send.sentAt} is retracted (${reason}, ${at}): ` +
          'the discharge it describes did not take place. Do not act on it; a new record follows the actual discharge.',
      },
    ],
  };
}

/** Retracted, with a notice for each recipient that had it. Retracting twice changes nothing. */
export function retractVersion(record: TransitionRecordVersion, reason: string, at: string, now: Date): TransitionRecordVersion {
  if (record.status === 'retracted') return record;
  const sentAt = now.toISOString();
  return {
    ...record,
    status: 'retracted',
    retraction: { reason, at, retractedAt: sentAt },
    sends: record.sends.map((send) =>
      send.status === 'retracted'
        ? send
        : { ...send, status: 'retracted', retraction: { sentAt, notice: retractionNotice(record, send, reason, at, now) } },
    ),
  };
}

export function supersedeVersion(record: TransitionRecordVersion, by: number, now: Date): TransitionRecordVersion {
  return record.status === 'current' ? { ...record, status: 'superseded', supersededAt: now.toISOString(), supersededBy: by } : record;
}

/**
 * What GET …/transition-record answers: the current version (else the newest, whose status then
 * says it is retracted or superseded) and every version's history, newest first, without Bundles.
 */
export function transitionRecordView(versions: readonly TransitionRecordVersion[]) {
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  const shown = newestFirst.find((v) => v.status === 'current') ?? newestFirst[0];
  if (!shown) return undefined;
  const history = newestFirst.map(({ bundle: _bundle, ...summary }) => summary);
  return { ...shown, history };
}
