import type {
  Bundle,
  BundleEntry,
  CarePlan as FhirCarePlan,
  CareTeam as FhirCareTeam,
  Condition as FhirCondition,
  Goal as FhirGoal,
  Observation as FhirObservation,
  Resource,
  Task as FhirTask,
} from '@medplum/fhirtypes';
import type { CarePlanVersion } from './care-plan';
import type { CareTeamMember } from './care-team';
import type { Encounter, Patient } from './encounter';
import { toFhirAllergyIntolerances, type AllergyList } from './medications/allergies';
import { toFhirEncounter, toFhirPatient } from './fhir';
import type { Observation } from './monitoring';
import type { CareTask } from './tasks';

/** One stay and what was recorded during it, as the export reads it. */
export interface StayRecord {
  encounter: Encounter;
  carePlan?: CarePlanVersion;
  careTeam: CareTeamMember[];
  observations: Observation[];
  tasks: CareTask[];
}

const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const LOINC = 'http://loinc.org';
const encounterRef = (encounterId: string) => ({ reference: `Encounter/${encounterId}` });
const patientRef = (patientId: string) => ({ reference: `Patient/${patientId}` });

/** Goal resources of a plan version; ids are stable per problem and goal position within the version. */
export function toFhirGoals(plan: CarePlanVersion, patientId: string): FhirGoal[] {
  return plan.problems.flatMap((problem, p) =>
    problem.goals.map(
      (goal, g): FhirGoal => ({
        resourceType: 'Goal',
        id: `${plan.encounterId}-v${plan.version}-p${p}-g${g}`,
        lifecycleStatus: goal.status,
        description: { text: goal.description },
        subject: patientRef(patientId),
        addresses: [{ display: problem.description }],
        ...(goal.target || goal.dueDate
          ? {
              // R4 gol-1: a target's detail needs a measure; the goal's own words name it.
              target: [
                {
                  ...(goal.target ? { measure: { text: goal.description }, detailString: goal.target } : {}),
                  ...(goal.dueDate ? { dueDate: goal.dueDate } : {}),
                },
              ],
            }
          : {}),
      }),
    ),
  );
}

export function toFhirCarePlan(plan: CarePlanVersion, patientId: string, goals: FhirGoal[]): FhirCarePlan {
  return {
    resourceType: 'CarePlan',
    id: plan.encounterId,
    meta: { versionId: String(plan.version), lastUpdated: plan.changedAt },
    status: plan.status,
    intent: 'plan',
    subject: patientRef(patientId),
    encounter: encounterRef(plan.encounterId),
    created: plan.changedAt,
    goal: goals.map((goal) => ({ reference: `Goal/${goal.id}` })),
    activity: plan.problems.flatMap((problem) =>
      problem.interventions.map((intervention) => ({
        detail: {
          status: intervention.status,
          description: intervention.description,
          ...(intervention.dueDate ? { scheduledString: `due ${intervention.dueDate}` } : {}),
          performer: [{ display: intervention.ownerRole }],
        },
      })),
    ),
  };
}

export function toFhirCareTeam(encounter: Encounter, members: CareTeamMember[]): FhirCareTeam {
  return {
    resourceType: 'CareTeam',
    id: encounter.encounterId,
    status: 'active',
    subject: patientRef(encounter.patientId),
    encounter: encounterRef(encounter.encounterId),
    participant: members.map((member) => ({
      role: [{ text: member.role }],
      member: { display: member.name },
    })),
    ...(encounter.leadCareManagerId ? { note: [{ text: `Lead care manager: member ${encounter.leadCareManagerId}` }] } : {}),
  };
}

export function toFhirObservation(observation: Observation, patientId: string): FhirObservation {
  return {
    resourceType: 'Observation',
    id: observation.observationId,
    status: 'final',
    code: { coding: [{ system: LOINC, code: observation.code }] },
    subject: patientRef(patientId),
    encounter: encounterRef(observation.encounterId),
    effectiveDateTime: observation.observedAt,
    valueQuantity: { value: observation.value, unit: observation.unit, system: 'http://unitsofmeasure.org', code: observation.unit },
  };
}

/** Conditions as recorded for the readmission risk (ICD-10 codes of the stay). */
export function toFhirConditions(encounter: Encounter): FhirCondition[] {
  return (encounter.riskInputs?.conditions ?? []).map((code) => ({
    resourceType: 'Condition',
    id: `${encounter.encounterId}-${code.replace(/[^A-Za-z0-9]/g, '')}`,
    subject: patientRef(encounter.patientId),
    encounter: encounterRef(encounter.encounterId),
    code: { coding: [{ system: ICD10, code }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
  }));
}

const TASK_STATUS: Record<CareTask['status'], FhirTask['status']> = { open: 'ready', completed: 'completed', cancelled: 'cancelled' };

export function toFhirTask(task: CareTask, patientId: string): FhirTask {
  return {
    resourceType: 'Task',
    id: task.taskId,
    status: TASK_STATUS[task.status],
    intent: 'order',
    priority: task.priority,
    code: { text: task.type },
    description: task.title,
    for: patientRef(patientId),
    encounter: encounterRef(task.encounterId),
    authoredOn: task.createdAt,
    ...(task.completedAt ? { lastModified: task.completedAt } : {}),
    restriction: { period: { end: task.dueAt } },
    owner: { display: task.ownerRole },
  };
}

/**
 * Patient/$everything: the patient, their allergy list (AllergyIntolerance), and every stay with
 * its care plan, goals, care team, observations, conditions and tasks, as one FHIR R4 searchset Bundle.
 */
export function patientEverything(patient: Patient, stays: StayRecord[], baseUrl: string, now: Date, allergies?: AllergyList): Bundle {
  const resources: Resource[] = [toFhirPatient(patient), ...toFhirAllergyIntolerances(allergies)];
  for (const stay of stays) {
    resources.push(toFhirEncounter(stay.encounter));
    resources.push(...toFhirConditions(stay.encounter));
    if (stay.carePlan) {
      const goals = toFhirGoals(stay.carePlan, patient.patientId);
      resources.push(toFhirCarePlan(stay.carePlan, patient.patientId, goals), ...goals);
    }
    if (stay.careTeam.length > 0) resources.push(toFhirCareTeam(stay.encounter, stay.careTeam));
    resources.push(...stay.observations.map((o) => toFhirObservation(o, patient.patientId)));
    resources.push(...stay.tasks.map((t) => toFhirTask(t, patient.patientId)));
  }
  const entry = resources.map(
    (resource): BundleEntry => ({ fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } }),
  );
  return { resourceType: 'Bundle', type: 'searchset', timestamp: now.toISOString(), total: entry.length, entry };
}
