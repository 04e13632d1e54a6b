import { recorderOf } from '../../shared/http/caller';
import { addNote } from '../../shared/domain/grievances';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { grievanceNoteBody, grievanceParams } from '../../shared/schemas/grievances';
import { changeGrievanceFor } from '../../shared/care/grievances/changes';

/** POST /v1/encounters/{id}/grievances/{grievanceId}/notes: an investigation note (kept in order, never edited). */
export const handler = httpRoute({ params: grievanceParams, body: grievanceNoteBody }, async ({ params, body, caller, ports }) => {
  const { record } = await changeGrievanceFor(
    ports,
    caller,
    params.id,
    params.grievanceId,
    (g) => addNote(g, { ...body, recorder: recorderOf(caller) }, ports.now()),
    false,
  );
  return json(201, record);
});
