import { CARE_PLAN_TEMPLATES } from '../../shared/domain/care-plan';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';

/** GET /v1/care-plan-templates: problems with goals and interventions to start a plan from. */
export const handler = httpRoute({}, async () => json(200, { templates: CARE_PLAN_TEMPLATES }));
