import { answerSurvey, checkAnswers } from '../../shared/domain/satisfaction';
import { PreconditionFailedError } from '../../shared/domain/errors';
import { partVersion } from '../../shared/domain/stay-parts';
import { etag, requiredVersion } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { surveyAnswersBody } from '../../shared/schemas/satisfaction';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * PUT /v1/encounters/{id}/satisfaction-survey (If-Match): the patient's answers, once. They and
 * the unit's top-box counts for the discharge month are written together.
 */
export const handler = httpRoute({ params: encounterParams, body: surveyAnswersBody }, async ({ params, body, caller, headers, ports }) => {
  const expected = requiredVersion(headers['if-match'], `satisfaction survey (GET /v1/encounters/${params.id}/satisfaction-survey)`);
  const encounter = await encounterFor(ports, caller, params.id);
  if (partVersion(encounter, 'satisfactionSurvey') !== expected)
    throw new PreconditionFailedError('The satisfaction survey was changed since you read it; read it again');
  const answered = answerSurvey(
    encounter.satisfactionSurvey,
    checkAnswers(body.answers),
    { answeredAt: body.answeredAt, channel: body.channel },
    ports.now(),
  );
  const next = await ports.satisfaction.recordAnswers(encounter, answered, ports.now()).catch((error: Error) => {
    throw error.name === 'ConflictError'
      ? new PreconditionFailedError('The satisfaction survey was changed since you read it; read it again')
      : error;
  });
  return json(200, next.satisfactionSurvey, { etag: etag(partVersion(next, 'satisfactionSurvey')) });
});
