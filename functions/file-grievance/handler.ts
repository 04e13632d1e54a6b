import { ConflictError, ValidationError } from '../../shared/domain/errors';
import { deadlinesFor, type Grievance } from '../../shared/domain/grievances';
import { grievanceExecutionName } from '../../shared/domain/workflows';
import { env } from '../../shared/env';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId } from '../../shared/ids';
import { encounterParams } from '../../shared/schemas/encounter';
import { fileGrievanceBody } from '../../shared/schemas/grievances';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * POST /v1/encounters/{id}/grievances: a complaint or grievance about a stay, with its named
 * contact; the deadlines follow the facility's policy (default: acknowledge in 7 days, resolve
 * in writing in 30). Stored here; the table stream starts its execution.
 */
export const handler = httpRoute({ params: encounterParams, body: fileGrievanceBody }, async ({ params, body, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const now = ports.now();
  const receivedAt = body.receivedAt ?? now.toISOString();
  if (Date.parse(receivedAt) > now.getTime())
    throw new ValidationError('Received in the future', [{ field: 'receivedAt', reason: 'must not be in the future' }]);
  const { grievances } = ports;
  const grievanceId = newId();
  const grievance: Grievance = {
    grievanceId,
    facilityId: encounter.facilityId,
    patientId: encounter.patientId,
    encounterId: encounter.encounterId,
    executionName: grievanceExecutionName(encounter.encounterId, grievanceId),
    channel: body.channel,
    category: body.category,
    severity: body.severity,
    raisedBy: body.raisedBy,
    description: body.description,
    namedContact: body.namedContact,
    receivedAt,
    ...deadlinesFor(receivedAt, env().GRIEVANCE_POLICY),
    status: 'open',
    notes: [],
    version: 1,
  };
  if (!(await grievances.create(grievance))) throw new ConflictError('The grievance was filed twice at once; try again');
  return json(201, grievance, { location: `/v1/encounters/${encounter.encounterId}/grievances/${grievance.grievanceId}` });
});
