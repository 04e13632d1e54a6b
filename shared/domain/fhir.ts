import type { Encounter as FhirEncounter, Patient as FhirPatient } from '@medplum/fhirtypes';
import type { DischargeDisposition } from './discharge-plan';
import type { Encounter, EncounterClass, Patient } from './encounter';

/** FHIR R4 views of Carepath records (read-only export; DOMAIN.md §5). */
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ENCOUNTER_CLASS: Record<EncounterClass, { code: string; display: string }> = {
  inpatient: { code: 'IMP', display: 'inpatient encounter' },
  observation: { code: 'OBSENC', display: 'observation encounter' },
  emergency: { code: 'EMER', display: 'emergency' },
  outpatient: { code: 'AMB', display: 'ambulatory' },
  preadmission: { code: 'PRENC', display: 'pre-admission' },
};

/** Carepath dispositions onto the R4 discharge-disposition code system. */
const DISCHARGE_DISPOSITION: Record<DischargeDisposition, string> = {
  home: 'home',
  'home-with-services': 'home',
  'home-health': 'home',
  'home-iv': 'home',
  'skilled-nursing': 'snf',
  'intermediate-care': 'long',
  'inpatient-rehab': 'rehab',
  'long-term-care-hospital': 'long',
  hospice: 'hosp',
  'another-hospital': 'other-hcf',
  'other-institution': 'other-hcf',
  'left-against-medical-advice': 'aadvice',
  expired: 'exp',
  other: 'oth',
};

export function toFhirPatient(patient: Patient): FhirPatient {
  const resource: FhirPatient = {
    resourceType: 'Patient',
    id: patient.patientId,
    meta: patient.updatedAt ? { lastUpdated: patient.updatedAt } : {},
    active: !patient.mergedInto,
    identifier: patient.identifiers.map((identifier) => ({
      system: identifier.system,
      value: identifier.value,
      ...(identifier.type
        ? { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: identifier.type }] } }
        : {}),
    })),
  };
  if (patient.name) resource.name = [{ use: 'official', family: patient.name.family, given: patient.name.given }];
  if (patient.sex) resource.gender = patient.sex;
  if (patient.birthDate) resource.birthDate = patient.birthDate;
  if (patient.deceasedAt) resource.deceasedDateTime = patient.deceasedAt;
  else if (patient.deceased) resource.deceasedBoolean = true;
  if (patient.mergedInto) resource.link = [{ other: { reference: `Patient/${patient.mergedInto}` }, type: 'replaced-by' }];
  return resource;
}

function fhirStatus(encounter: Encounter): FhirEncounter['status'] {
  if (encounter.status === 'cancelled') return 'cancelled';
  if (encounter.status === 'discharged') return 'finished';
  if (encounter.class === 'preadmission') return 'planned';
  return encounter.onLeave ? 'onleave' : 'in-progress';
}

export function toFhirEncounter(encounter: Encounter): FhirEncounter {
  const resource: FhirEncounter = {
    resourceType: 'Encounter',
    id: encounter.encounterId,
    meta: { lastUpdated: encounter.updatedAt, versionId: String(encounter.version) },
    status: fhirStatus(encounter),
    class: { system: ACT_CODE, ...ENCOUNTER_CLASS[encounter.class] },
    subject: { reference: `Patient/${encounter.patientId}` },
    period: { start: encounter.admittedAt, ...(encounter.discharge ? { end: encounter.discharge.dischargedAt } : {}) },
  };
  if (encounter.visitNumber) resource.identifier = [{ type: { text: 'visit number' }, value: encounter.visitNumber }];
  if (encounter.location) {
    const { pointOfCare, room, bed } = encounter.location;
    resource.location = [{ location: { display: [pointOfCare, room, bed].filter(Boolean).join(' ') }, status: 'active' }];
  }
  if (encounter.discharge) {
    resource.hospitalization = {
      dischargeDisposition: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
            code: DISCHARGE_DISPOSITION[encounter.discharge.disposition],
          },
        ],
        text: encounter.discharge.disposition,
      },
    };
  }
  return resource;
}
