import type * as z from 'zod';
import { facilityTimeZone, siteConfig } from '../../shared/site-config';
import { ConflictError } from '../../shared/domain/errors';
import { complexityOf, planFollowUp, qualifiesForTcm, type FollowUp } from '../../shared/domain/follow-up';
import { currentRiskTier } from '../../shared/domain/risk/encounter-risk';
import { newTask } from '../../shared/domain/tasks';
import { stableId } from '../../shared/ids';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['plan-follow-up'];

/** The stage config's extra non-business days of the facility, beside US federal holidays. */
const holidaysFromSiteConfig = (facilityId: string): string[] => siteConfig().facilityHolidays[facilityId] ?? [];

/**
 * State "Plan follow-up deadlines": TCM deadlines from the discharge, the risk tier and the
 * facility's holidays and time zone, kept on the encounter with the contact and visit tasks (which do not
 * pause the workflow: its Wait states judge at each deadline). A retry finds its plan and
 * returns it unchanged.
 */
export async function planFollowUpStep(
  event: z.infer<typeof input>,
  deps: StepDeps & { holidaysOf: (facilityId: string) => string[]; timeZoneOf: (facilityId: string) => string },
) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  if (!encounter.discharge) throw new ConflictError(`Encounter ${encounter.encounterId} is not discharged`);
  if (!qualifiesForTcm(encounter.discharge.disposition)) return { eligible: false, disposition: encounter.discharge.disposition };
  // TCM outreach is to a living patient: a death recorded since the discharge ends it here (DTH-4).
  if ((await deps.patients.get(encounter.patientId))?.deceased)
    return { eligible: false, disposition: encounter.discharge.disposition, patientDied: true };
  const executionName = event.executionArn.split(':').at(-1)!;
  const summary = (f: FollowUp) => ({
    eligible: true,
    complexity: f.complexity,
    contactDueBy: f.contactDueBy,
    visitDueBy: f.visitDueBy,
    windowClosesAt: f.windowClosesAt,
  });
  if (encounter.followUp?.executionName === executionName) return summary(encounter.followUp);

  const now = deps.now();
  const timeZone = deps.timeZoneOf(encounter.facilityId);
  const deadlines = planFollowUp(
    encounter.discharge,
    complexityOf(currentRiskTier(encounter, now, timeZone)),
    deps.holidaysOf(encounter.facilityId),
    timeZone,
  );
  const task = (type: 'follow-up-contact' | 'follow-up-visit', dueAt: string) =>
    newTask(
      {
        taskId: stableId(event.executionArn, type),
        facilityId: encounter.facilityId,
        encounterId: encounter.encounterId,
        type,
        priority: 'urgent',
        dueAt,
        resumesWorkflow: false,
      },
      now,
    );
  const contactTask = task('follow-up-contact', deadlines.contactDueBy);
  const visitTask = task('follow-up-visit', deadlines.visitDueBy);
  await deps.tasks.openOnce(contactTask);
  await deps.tasks.openOnce(visitTask);
  const followUp: FollowUp = {
    ...deadlines,
    executionName,
    status: 'open',
    contactTaskId: contactTask.taskId,
    visitTaskId: visitTask.taskId,
    attempts: [],
  };
  await deps.encounters.update(encounter, { fields: { followUp } }, now);
  return summary(followUp);
}

export const handler = workflowStep(input, (event, deps) =>
  planFollowUpStep(event, { ...deps, holidaysOf: holidaysFromSiteConfig, timeZoneOf: facilityTimeZone }),
);
