import type * as z from 'zod';
import { proposeDischargePlan } from '../../shared/domain/discharge-plan';
import { isOpen } from '../../shared/domain/education';
import { wantsComfortCare } from '../../shared/domain/goals';
import { needsAssessmentData } from '../../shared/schemas/task-data';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['build-discharge-plan'];

/** State "Build discharge plan": the assessed needs propose the post-acute path and services. */
export async function buildDischargePlan(event: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  // Open education (not yet understood at teach-back) rides along in the state data, so the
  // steps up to discharge can see it.
  const openEducation = (await deps.education.list(event.encounterId)).filter(isOpen).length;
  if (encounter.dischargePlan) return { path: encounter.dischargePlan.path, services: encounter.dischargePlan.services, openEducation };
  const now = deps.now();
  const { task } = await deps.tasks.mustGet(event.assessment.taskId);
  const assessment = needsAssessmentData.parse(task.data ?? {});
  const proposal = proposeDischargePlan(assessment.needs, { comfortFocused: wantsComfortCare(encounter.goalsOfCare) });
  await deps.encounters.update(
    encounter,
    {
      // Status only moves forward: an ADT discharge or cancel that came first stands.
      ...(['admitted', 'assessment-pending'].includes(encounter.status) ? { status: 'awaiting-discharge-order' as const } : {}),
      fields: {
        assessment: {
          needs: assessment.needs,
          notes: assessment.notes,
          recordedBy: assessment.recordedBy,
          recordedAt: now.toISOString(),
        },
        dischargePlan: { ...proposal, decidedAt: now.toISOString() },
      },
    },
    now,
  );
  return { ...proposal, openEducation };
}

export const handler = workflowStep(input, buildDischargePlan);
