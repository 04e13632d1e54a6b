import * as z from 'zod';
import { recorderOf } from '../../shared/http/caller';
import { fromTokenOnly } from '../../shared/schemas/identity';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterFor } from '../../shared/care/access/visible-records';
import { ConflictError } from '../../shared/domain/errors';

const params = z.object({ id: z.uuid('must be an encounter id (UUID)'), referralId: z.uuid('must be a referral id (UUID)') });
const body = z.discriminatedUnion(
  'answer',
  [
    z.strictObject({ answer: z.literal('accept'), answeredBy: z.string().trim().min(1).max(200), role: fromTokenOnly }),
    z.strictObject({
      answer: z.literal('decline'),
      answeredBy: z.string().trim().min(1).max(200),
      reason: z.string().trim().min(3, 'must say why').max(1000),
      role: fromTokenOnly,
    }),
  ],
  { error: 'must be accept or decline' },
);

/**
 * POST /v1/encounters/{id}/referrals/{referralId}/answer: the receiving provider accepts, or
 * declines with a reason. The first acceptance wins (409 for a later one, or for a referral no
 * longer open); the waiting workflow resumes from the stream.
 */
export const handler = httpRoute({ params, body }, async ({ params, body, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const { referral } = await ports.referrals.mustGet(encounter.encounterId, params.referralId);
  const at = ports.now().toISOString();
  if (body.answer === 'accept') {
    await ports.referrals.accept(referral, { answeredBy: body.answeredBy, answeredAt: at, recorder: recorderOf(caller) });
  } else if (
    !(await ports.referrals.close(
      referral,
      'declined',
      { reason: body.reason, answeredBy: body.answeredBy, recorder: recorderOf(caller), at },
      true,
    ))
  ) {
    throw new ConflictError('The referral is no longer open');
  }
  const { referral: answered } = await ports.referrals.mustGet(encounter.encounterId, params.referralId);
  return json(200, answered);
});
