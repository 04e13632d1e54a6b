import { NotFoundError } from '../../shared/domain/errors';
import { recorderOf } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { suggestionDecisionBody, suggestionParams } from '../../shared/schemas/needs-assessment';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';

/**
 * PUT /v1/encounters/{id}/needs-assessment/suggestions/{service} (If-Match): accept or reject a
 * suggested service (a rejection needs its reason).
 */
export const handler = httpRoute(
  { params: suggestionParams, body: suggestionDecisionBody },
  async ({ params, body, caller, headers, ports }) => {
    const at = ports.now().toISOString();
    const encounter = await editStayPart(ports, caller, params.id, 'needsAssessment', headers['if-match'], (current) => {
      const assessment = current.needsAssessment;
      if (!assessment?.suggestions.some((s) => s.service === params.service)) {
        throw new NotFoundError(`The needs assessment does not suggest ${params.service}`);
      }
      const decision = {
        outcome: body.outcome,
        by: recorderOf(caller),
        decidedBy: body.decidedBy,
        at,
        ...(body.reason ? { reason: body.reason } : {}),
      };
      return {
        fields: {
          needsAssessment: {
            ...assessment,
            suggestions: assessment.suggestions.map((s) => (s.service === params.service ? { ...s, decision } : s)),
          },
        },
      };
    });
    return json(200, encounter.needsAssessment, { etag: etag(partVersion(encounter, 'needsAssessment')) });
  },
);
