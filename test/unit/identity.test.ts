import { describe, expect, it } from 'vitest';
import { completeTaskBody } from '../../shared/schemas/task-completion';
import { recordDischarge } from '../../shared/domain/discharge';
import { recorderOf } from '../../shared/http/caller';
import { goalsAndPreferencesBody, goalsOfCareBody } from '../../shared/schemas/goals';
import { needsAssessmentBody, suggestionDecisionBody } from '../../shared/schemas/needs-assessment';
import { placeOrderBody } from '../../shared/schemas/orders';
import { riskOverrideBody } from '../../shared/schemas/risk';
import type * as z from 'zod';

/** Issue 16 item 5: no body says who acts or in which role (docs/clinical-safety.md ID-1..3). */
describe('a role in the body is refused, naming it', () => {
  const bodies: Array<[string, z.ZodType, Record<string, unknown>]> = [
    ['risk override', riskOverrideBody, { tier: 'moderate', reason: 'Recent fall at home, new walker' }],
    ['goals of care', goalsOfCareBody, { level: 'comfort-focused', codeStatus: 'dnr-dni', recordedBy: 'Dr A' }],
    ['goals and preferences', goalsAndPreferencesBody, { preferredLanguage: 'es', interpreterNeeded: true, recordedBy: 'CM B' }],
    ['needs assessment', needsAssessmentBody, { domains: {}, assessedBy: 'SW C' }],
    ['suggestion decision', suggestionDecisionBody, { outcome: 'accepted', decidedBy: 'CM D' }],
    [
      'order',
      placeOrderBody,
      { placerOrderNumber: 'P-77', code: { system: 'http://loinc.org', code: '2951-2' }, orderingPractitioner: { id: 'dr-e' } },
    ],
    ['task completion', completeTaskBody, { outcome: 'completed' }],
  ];

  it.each(bodies)('%s: valid without it, 400 on role with the reason', (_name, schema, body) => {
    expect(schema.safeParse(body).success).toBe(true);
    const claimed = schema.safeParse({ ...body, role: 'physician' });
    expect(claimed.success).toBe(false);
    expect(claimed.error!.issues).toEqual([
      expect.objectContaining({ path: ['role'], message: expect.stringMatching(/comes from the token/) }),
    ]);
  });

  it('task completion refuses a self-declared completedBy too', () => {
    expect(
      completeTaskBody.safeParse({ outcome: 'completed', completedBy: { who: 'dr-x', roles: ['physician'] } }).error?.issues[0]?.path,
    ).toEqual(['completedBy']);
  });
});

describe('who is recorded', () => {
  it('is the caller: client (and person) and roles; the display name only when given', () => {
    const caller = { clientId: 'care-team-app/rn-ito', facilityId: 'F2', roles: ['nurse' as const] };
    expect(recorderOf(caller)).toEqual({ who: 'care-team-app/rn-ito', roles: ['nurse'] });
    expect(recorderOf(caller, 'RN Ito')).toEqual({ who: 'care-team-app/rn-ito', roles: ['nurse'], name: 'RN Ito' });
  });

  it("a discharge carries the order task's signer beside the display name", () => {
    const signedBy = { who: 'ehr-f2', roles: ['integration-client' as const] };
    const discharge = recordDischarge(
      { admittedAt: '2026-10-02T09:00:00.000Z' },
      { disposition: 'home-health', orderedBy: 'Dr F', signedBy },
      new Date('2026-10-05T15:00:00Z'),
    );
    expect(discharge).toMatchObject({ disposition: 'home-health', orderedBy: 'Dr F', signedBy });
    expect(recordDischarge({ admittedAt: '2026-10-02T09:00:00.000Z' }, {}, new Date('2026-10-05T15:00:00Z')).signedBy).toBeUndefined();
  });
});
