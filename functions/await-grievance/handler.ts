import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type * as z from 'zod';
import { grievanceProgress, type Grievance } from '../../shared/domain/grievances';
import { sfnClient } from '../../shared/store/clients';
import type { StepDeps } from '../../shared/workflow/deps';
import { grievanceKey } from '../../shared/workflow/grievance-input';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['await-grievance'];

/**
 * States "Await written acknowledgement", "Await written decision" (and after the deadline):
 * the grievance holds the task token until the API records the acknowledgement or the decision
 * (the stream then resumes the execution). What already happened is handed over at once.
 */
export async function awaitGrievance(event: z.infer<typeof input>, deps: StepDeps & { sfn: SFNClient }) {
  let done: Grievance | undefined;
  await deps.grievances.change(grievanceKey(event), `Grievance ${event.grievanceId}`, ({ record }) => {
    const already = record.status === 'resolved' || (event.awaiting === 'acknowledgement' && record.status === 'acknowledged');
    if (already) {
      done = record;
      return undefined;
    }
    return { record: { ...record, awaiting: event.awaiting, resume: undefined }, taskToken: event.taskToken };
  });
  if (done)
    await deps.sfn.send(
      new SendTaskSuccessCommand({ taskToken: event.taskToken, output: JSON.stringify(grievanceProgress(done, deps.now())) }),
    );
  return { awaiting: event.awaiting };
}

export const handler = workflowStep(input, (event, deps) => awaitGrievance(event, { ...deps, sfn: sfnClient() }));
