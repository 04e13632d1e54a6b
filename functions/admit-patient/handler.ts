import type { Encounter, Patient } from '../../shared/domain/encounter';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import { ForbiddenError } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId, sha256 } from '../../shared/ids';
import type { EncounterStore } from '../../shared/store/encounter-store';
import type { PatientStore } from '../../shared/store/patient-store';
import { admitPatientBody, admitPatientHeaders, type AdmitPatientBody } from '../../shared/schemas/admission';

export interface AdmitDeps {
  encounters: EncounterStore;
  patients: PatientStore;
  now: () => Date;
  newId: () => string;
}

const REPLAY_WINDOW_SECONDS = 24 * 3600;

/**
 * POST /v1/encounters. Stores the admission; the table's stream then starts discharge planning,
 * so an admission can never be stored without its workflow eventually starting.
 */
export async function admitPatient(body: AdmitPatientBody, idempotencyKey: string | undefined, deps: AdmitDeps) {
  const now = deps.now();
  const requestHash = sha256(JSON.stringify(body));
  const identifier = body.patient.identifier;

  for (let attempt = 0; attempt < 4; attempt++) {
    const knownPatientId = await deps.patients.findIdByIdentifier(body.facilityId, identifier);
    if (knownPatientId) await assertSamePerson(knownPatientId, body, deps.patients);
    const patientId = knownPatientId ?? deps.newId();
    const encounter: Encounter = {
      encounterId: deps.newId(),
      facilityId: body.facilityId,
      patientId,
      unit: body.unit,
      class: body.class,
      admissionType: body.admissionType,
      admittedAt: new Date(body.admittedAt).toISOString(),
      status: 'admitted',
      version: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const newPatient: Patient | undefined = knownPatientId
      ? undefined
      : {
          patientId,
          facilityId: body.facilityId,
          identifiers: [identifier],
          name: body.patient.name,
          birthDate: body.patient.birthDate,
          sex: body.patient.sex,
        };
    const outcome = await deps.encounters.admit({
      encounter,
      newPatient,
      idempotency: idempotencyKey
        ? {
            key: idempotencyKey,
            requestHash,
            expiresAt: Math.floor(now.getTime() / 1000) + REPLAY_WINDOW_SECONDS,
            nowSeconds: Math.floor(now.getTime() / 1000),
          }
        : undefined,
    });
    if (outcome.kind === 'created') return { encounter, created: true };
    if (outcome.kind === 'replayed') {
      if (outcome.requestHash !== requestHash) {
        throw new ConflictError('Idempotency-Key was already used with a different request body');
      }
      return { encounter: await deps.encounters.mustGet(outcome.encounterId), created: false };
    }
    // Another request registered this patient between our read and our write (use theirs), or
    // a concurrent transaction held the same items: go round again.
    if (outcome.kind === 'contended') await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
  }
  throw new ConflictError('The patient record is being changed by another request; retry');
}

/**
 * An identifier names one person: re-admitting it with another birth date is far more likely a
 * mistyped MRN than a correction, so it is refused rather than linked to the wrong record.
 */
async function assertSamePerson(patientId: string, body: AdmitPatientBody, patients: PatientStore): Promise<void> {
  const known = await patients.get(patientId);
  // A record the ADT feed registered without a birth date is not a contradiction.
  if (known?.birthDate && known.birthDate !== body.patient.birthDate) {
    throw new ConflictError(
      'patient.identifier belongs to a patient with a different birth date; check the identifier, or correct the patient record first',
    );
  }
}

export const handler = httpRoute({ body: admitPatientBody }, async (request) => {
  const { caller } = request;
  if (request.body.facilityId && request.body.facilityId !== caller.facilityId) {
    throw new ForbiddenError(`facilityId must be your own facility (${caller.facilityId})`);
  }
  const headers = admitPatientHeaders.safeParse(request.headers);
  if (!headers.success) {
    throw new ValidationError('The request is not valid', [
      { field: 'header.idempotency-key', reason: headers.error.issues[0]?.message ?? 'invalid' },
    ]);
  }
  const { encounters, patients } = request.ports;
  const { encounter } = await admitPatient({ ...request.body, facilityId: caller.facilityId }, headers.data['idempotency-key'], {
    encounters,
    patients,
    now: request.ports.now,
    newId,
  });
  return json(
    201,
    {
      encounterId: encounter.encounterId,
      patientId: encounter.patientId,
      facilityId: encounter.facilityId,
      status: encounter.status,
      admittedAt: encounter.admittedAt,
      links: { self: `/v1/encounters/${encounter.encounterId}`, tasks: `/v1/tasks?encounterId=${encounter.encounterId}` },
    },
    { location: `/v1/encounters/${encounter.encounterId}` },
  );
});
