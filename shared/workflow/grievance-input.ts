import * as z from 'zod';
import { keys } from '../store/keys';
import { stableId } from '../ids';

/** What every grievance workflow step is handed (the execution input carries both ids). */
export const grievanceStepInput = z.object({ encounterId: z.string().min(1), grievanceId: z.string().min(1) });
export type GrievanceStepInput = z.infer<typeof grievanceStepInput>;

export const grievanceKey = (input: GrievanceStepInput) => keys.grievance(input.encounterId, input.grievanceId);
export const grievanceTaskId = (grievanceId: string, type: 'grievance-response' | 'qio-referral') => stableId(grievanceId, type);
