import { recordNeedsAssessment } from '../../shared/domain/needs-assessment';
import { recorderOf } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { needsAssessmentBody } from '../../shared/schemas/needs-assessment';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';

/** PUT /v1/encounters/{id}/needs-assessment (If-Match): findings per domain → suggested services. */
export const handler = httpRoute(
  { params: encounterParams, body: needsAssessmentBody },
  async ({ params, body, caller, headers, ports }) => {
    const encounter = await editStayPart(ports, caller, params.id, 'needsAssessment', headers['if-match'], (current) => ({
      fields: {
        needsAssessment: {
          ...recordNeedsAssessment(body.domains, body.assessedBy, ports.now(), current.needsAssessment, {
            documentedAt: body.assessedAt,
            admittedAt: current.admittedAt,
          }),
          by: recorderOf(caller),
        },
      },
    }));
    return json(200, encounter.needsAssessment, { etag: etag(partVersion(encounter, 'needsAssessment')) });
  },
);
