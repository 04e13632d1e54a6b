import type * as z from 'zod';
import { choiceListFor, type ChoiceList } from '../../shared/domain/patient-choice';
import { POST_ACUTE_DIRECTORY } from '../../shared/domain/post-acute-directory';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['offer-choice-list'];

/** What the care manager's "patient choice" task asks for, given the list. */
const whatToDo = (list: ChoiceList) =>
  list.providers.length > 0
    ? [
        `Give the patient the list (${list.providers.length} ${list.providerType}) and record the choice (PUT …/patient-choice); one not on it goes in offListProvider.`,
      ]
    : [
        `No ${list.providerType} in the directory serves this facility.`,
        'Record the provider the patient chooses, or the one you arrange, as offListProvider (name, phone, NPI if known) in PUT …/patient-choice.',
      ];

/**
 * State "Offer patient choice list": Medicare-participating providers of the type the plan needs
 * that serve this facility, alphabetical, with quality ratings and the freedom-of-choice
 * statement, put on the encounter for the care manager to give the patient. When the physician
 * ordered another post-acute path than planned, the plan (already revised to it) gets its own
 * list: the choice made from the earlier list was a choice of another kind of provider, so it is
 * cleared (the audit trail keeps it). `round` names the list, so its task is its own.
 */
export async function offerChoiceList({ encounterId }: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(encounterId);
  const path = encounter.dischargePlan?.path;
  const given = encounter.choiceList;
  if (given && given.path === path) return { providers: given.providers.length, round: given.path, details: whatToDo(given) };
  const list = path ? choiceListFor(path, encounter.facilityId, POST_ACUTE_DIRECTORY, deps.now()) : undefined;
  if (!list) return { providers: 0, round: path ?? 'none', details: [] };
  if (given) {
    // A provider placed for the earlier path is not where the patient now goes.
    await deps.referrals.withdrawPlacement(encounterId, {
      reason: `The physician ordered ${path} instead of ${given.path}`,
      at: deps.now().toISOString(),
    });
  }
  await deps.encounters.update(encounter, { fields: { choiceList: list, ...(given ? { patientChoice: undefined } : {}) } }, deps.now());
  return { providers: list.providers.length, round: list.path, details: whatToDo(list) };
}

export const handler = workflowStep(input, offerChoiceList);
