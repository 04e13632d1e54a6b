import type { Recorder } from './access';

/**
 * Services arranged around the discharge path (42 CFR 482.43: DME, meals, transportation, home
 * modification, medication support …): each service the plan names gets a decision before the
 * patient leaves — arranged with a provider and a date, or declined by the patient with a reason.
 */
export const ARRANGEMENT_STATUSES = ['arranged', 'declined-by-patient'] as const;
export type ArrangementStatus = (typeof ARRANGEMENT_STATUSES)[number];

export interface ServiceArrangement {
  service: string;
  status: ArrangementStatus;
  provider?: string;
  /** When the service starts or is delivered (e.g. the walker arrives). */
  scheduledFor?: string;
  reason?: string;
  /** The name the body gave (display only); who recorded the arrangement is `by`, from the token. */
  arrangedBy: string;
  by?: Recorder;
  arrangedAt: string;
}

/** What an arrangement needs: a provider for an arranged service, a reason for a declined one, and a service the plan names. */
export function arrangementProblems(
  planServices: readonly string[] | undefined,
  arrangements: ReadonlyArray<Omit<ServiceArrangement, 'arrangedAt'>>,
) {
  const problems: Array<{ field: string; reason: string }> = [];
  if (!planServices) return [{ field: 'arrangements', reason: 'there is no discharge plan yet' }];
  arrangements.forEach((a, i) => {
    if (!planServices.includes(a.service))
      problems.push({
        field: `arrangements.${i}.service`,
        reason: `is not a service of the discharge plan (${planServices.join(', ') || 'none'})`,
      });
    if (a.status === 'arranged' && !a.provider)
      problems.push({ field: `arrangements.${i}.provider`, reason: 'is required for an arranged service' });
    if (a.status === 'declined-by-patient' && !a.reason)
      problems.push({ field: `arrangements.${i}.reason`, reason: 'is required when the patient declines' });
  });
  return problems;
}

/** The plan's services that still have no decision. */
export const unarrangedServices = (planServices: readonly string[] | undefined, arrangements: readonly ServiceArrangement[] | undefined) =>
  (planServices ?? []).filter((service) => !(arrangements ?? []).some((a) => a.service === service));
