import { patientEverything } from '../../shared/domain/fhir-everything';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { patientParams } from '../../shared/schemas/patient';
import { stores } from '../../shared/store';
import { patientFor } from '../../shared/store/visible-records';

/**
 * GET /v1/fhir/Patient/{id}/$everything: the patient's record as one FHIR R4 Bundle (Patient,
 * Encounter, Condition, CarePlan, Goal, CareTeam, Observation, Task). Key and index queries
 * per stay, never a scan.
 */
export const handler = httpRoute({ params: patientParams }, async ({ params, caller, headers }) => {
  const patient = await patientFor(caller, params.id);
  const s = stores();
  const encounters = (await s.encounters.listByPatient(patient.patientId)).filter((e) => e.facilityId === caller.facilityId);
  const stays = await Promise.all(
    encounters.map(async (encounter) => {
      const [carePlan, careTeam, observations, tasks] = await Promise.all([
        s.carePlans.current(encounter.encounterId),
        s.careTeam.members(encounter.encounterId),
        s.monitoring.observations(encounter.encounterId),
        s.tasks.listByEncounter(encounter.encounterId),
      ]);
      return { encounter, ...(carePlan ? { carePlan } : {}), careTeam, observations, tasks };
    }),
  );
  const baseUrl = `https://${headers.host ?? 'carepath.invalid'}/v1/fhir`;
  return json(200, patientEverything(patient, stays, baseUrl, new Date()), { 'content-type': 'application/fhir+json' });
});
