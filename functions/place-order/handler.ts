import { CLOCK_SKEW_MS } from '../../shared/domain/clock';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import {
  checkDuplicate,
  lookBackHours,
  orderedAtProblem,
  ruleFor,
  rulesRepeatedBy,
  type DuplicateCheck,
  type Order,
} from '../../shared/domain/orders';
import type { Encounter } from '../../shared/domain/encounter';
import type { Recorder } from '../../shared/domain/access';
import { recorderOf } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId } from '../../shared/ids';
import { encounterParams } from '../../shared/schemas/encounter';
import { placeOrderBody, type PlaceOrderBody } from '../../shared/schemas/orders';
import { orderGroup, type OrderStore } from '../../shared/store/order-store';
import { encounterFor } from '../../shared/care/access/visible-records';

export type PlaceOrderResult =
  | { kind: 'placed' | 'replayed'; order: Order }
  | { kind: 'duplicate'; check: Extract<DuplicateCheck, { duplicate: true }> };

/**
 * Checks against the patient's recent orders of the same group and of the panels that contain it
 * — any practitioner, any stay — then places it: refused on a hard-stop duplicate without a
 * reason, placed with `repeatWarning` on a warn-only (protocol-serial) one.
 */
export async function placeOrder(
  encounter: Encounter,
  body: PlaceOrderBody,
  deps: { orders: OrderStore; now: () => Date; newId: () => string; placedBy?: Recorder },
): Promise<PlaceOrderResult> {
  const known = await deps.orders.byPlacerNumber(encounter.facilityId, body.placerOrderNumber);
  if (known) {
    if (known.encounterId !== encounter.encounterId)
      throw new ConflictError(`Placer order number ${body.placerOrderNumber} belongs to another encounter`);
    return { kind: 'replayed', order: known };
  }
  const now = deps.now();
  const orderedAt = new Date(body.orderedAt ?? now).toISOString();
  // Bounded like the API's other times: a signing time ahead of the clock or before the stay is a typo or a wrong stay.
  const problem = orderedAtProblem(orderedAt, encounter.admittedAt, now, CLOCK_SKEW_MS);
  if (problem) throw new ValidationError(`orderedAt ${problem}`, [{ field: 'orderedAt', reason: problem }]);
  const rule = ruleFor(body.code);
  // A lost race means another order of the group landed between check and write: check again.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const order: Order = {
      orderId: deps.newId(),
      facilityId: encounter.facilityId,
      patientId: encounter.patientId,
      encounterId: encounter.encounterId,
      placerOrderNumber: body.placerOrderNumber,
      code: body.code,
      orderingPractitioner: body.orderingPractitioner,
      ...(deps.placedBy ? { placedBy: deps.placedBy } : {}),
      orderedAt,
      ...(rule ? { ruleId: rule.id } : {}),
    };
    // The order's own group carries the guard; panels containing it are read alongside.
    const groups = rule ? rulesRepeatedBy(rule) : [];
    const own = await deps.orders.recent(encounter.patientId, orderGroup(order), since(orderedAt, rule ? lookBackHours(rule) : 0));
    const containing = await Promise.all(
      groups.slice(1).map((panel) => deps.orders.recent(encounter.patientId, panel.id, since(orderedAt, lookBackHours(panel)))),
    );
    const orders = [...own.orders, ...containing.flatMap((found) => found.orders)];
    const guard = own.guard;
    const check = checkDuplicate(order, orders);
    if (check.duplicate && check.action === 'warn') {
      order.repeatWarning = {
        ruleId: check.rule.id,
        earlierOrderId: check.earlierOrder.orderId,
        earlierOrderedAt: check.earlierOrder.orderedAt,
        serial: rule?.serial === true,
      };
    } else if (check.duplicate) {
      await deps.orders.flagDuplicate({
        facilityId: encounter.facilityId,
        encounterId: encounter.encounterId,
        placerOrderNumber: body.placerOrderNumber,
        earlierOrderId: check.earlierOrder.orderId,
        ruleId: check.rule.id,
        at: now.toISOString(),
      });
      if (!body.overrideReason) return { kind: 'duplicate', check };
      order.duplicateOverride = { reason: body.overrideReason, earlierOrderId: check.earlierOrder.orderId };
    }
    const outcome = await deps.orders.place(order, guard);
    if (outcome.kind === 'placed') return { kind: 'placed', order };
    if (outcome.kind === 'replayed')
      return { kind: 'replayed', order: (await deps.orders.byPlacerNumber(encounter.facilityId, body.placerOrderNumber))! };
  }
  throw new ConflictError('Other orders of the same test were being placed at the same moment; send it again');
}

const since = (orderedAt: string, hours: number) => new Date(Date.parse(orderedAt) - hours * 3_600_000).toISOString();

/**
 * POST /v1/encounters/{id}/orders: a test or procedure (LOINC or CPT) by an ordering practitioner.
 * 201 placed; 200 the same placer order number again; 409 `DuplicateOrder` with the earlier
 * order when it repeats one within a hard-stop rule's interval — resend with `overrideReason` to
 * place it anyway; 201 with `repeatWarning` when a protocol-serial test repeats; 400 naming
 * `orderedAt` when it is in the future or before the admission.
 */
export const handler = httpRoute({ params: encounterParams, body: placeOrderBody }, async ({ params, body, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const result = await placeOrder(encounter, body, { orders: ports.orders, now: ports.now, newId, placedBy: recorderOf(caller) });
  if (result.kind === 'duplicate') {
    const { rule, earlierOrder, allowedFrom } = result.check;
    return json(409, {
      error: 'DuplicateOrder',
      message: `${rule.label} was ordered ${earlierOrder.orderedAt}; it may be repeated from ${allowedFrom}. To order it anyway, send overrideReason.`,
      rule: { id: rule.id, label: rule.label, minIntervalHours: rule.minIntervalHours },
      earlierOrder,
      allowedFrom,
      issues: [{ field: 'overrideReason', reason: 'required to place a duplicate order' }],
    });
  }
  return json(
    result.kind === 'placed' ? 201 : 200,
    result.order,
    result.kind === 'placed' ? { location: `/v1/encounters/${encounter.encounterId}/orders/${result.order.orderId}` } : {},
  );
});
