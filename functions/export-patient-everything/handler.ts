import { patientEverything } from '../../shared/domain/fhir-everything';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { NotFoundError } from '../../shared/domain/errors';
import { patientParams } from '../../shared/schemas/patient';
import * as z from 'zod';
import { patientFor } from '../../shared/care/access/visible-records';

/**
 * GET /v1/fhir/Patient/{id}/$everything: the patient's record as one FHIR R4 Bundle (Patient,
 * AllergyIntolerance, Encounter, Condition, CarePlan, Goal, CareTeam, Observation, Task). Key and index queries
 * per stay, never a scan.
 */
/** The route key is /v1/fhir/Patient/{id}/{operation} (infra/routes/care-record.ts): only $everything is served. */
const everythingParams = patientParams.extend({ operation: z.string() });

export const handler = httpRoute({ params: everythingParams }, async ({ params, caller, headers, ports }) => {
  if (params.operation !== '$everything') throw new NotFoundError('Only the $everything operation is served on Patient');
  const patient = await patientFor(ports, caller, params.id);
  const [listed, allergies] = await Promise.all([
    ports.encounters.listByPatient(patient.patientId),
    ports.allergies.get(patient.patientId),
  ]);
  const encounters = listed.filter((e) => e.facilityId === caller.facilityId);
  const stays = await Promise.all(
    encounters.map(async (listedStay) => {
      // The list holds encounter records; the stay read by id brings its parts (goals, risk, follow-up…).
      const encounter = (await ports.encounters.get(listedStay.encounterId)) ?? listedStay;
      const [carePlan, careTeam, observations, tasks] = await Promise.all([
        ports.carePlans.current(encounter.encounterId),
        ports.careTeam.members(encounter.encounterId),
        ports.monitoring.observations(encounter.encounterId),
        ports.tasks.listByEncounter(encounter.encounterId),
      ]);
      return { encounter, ...(carePlan ? { carePlan } : {}), careTeam, observations, tasks };
    }),
  );
  const baseUrl = `https://${headers.host ?? 'carepath.invalid'}/v1/fhir`;
  return json(200, patientEverything(patient, stays, baseUrl, ports.now(), allergies), { 'content-type': 'application/fhir+json' });
});
