import * as z from 'zod';
import { choiceListFor } from '../../shared/domain/patient-choice';
import { POST_ACUTE_DIRECTORY } from '../../shared/domain/post-acute-directory';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({ encounterId: z.string().min(1) });

/**
 * State "Offer patient choice list": Medicare-participating providers of the type the plan needs
 * that serve this facility, alphabetical, with quality ratings and the freedom-of-choice
 * statement, put on the encounter for the care manager to give the patient.
 */
export async function offerChoiceList({ encounterId }: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(encounterId);
  if (encounter.choiceList) return { providers: encounter.choiceList.providers.length };
  const path = encounter.dischargePlan?.path;
  const list = path ? choiceListFor(path, encounter.facilityId, POST_ACUTE_DIRECTORY, deps.now()) : undefined;
  if (!list) return { providers: 0 };
  await deps.encounters.update(encounter, { fields: { choiceList: list } }, deps.now());
  return { providers: list.providers.length };
}

export const handler = workflowStep(input, (event) => offerChoiceList(event, stepDeps()));
