import middy from '@middy/core';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { auditedEntity, auditOfChange, type AuditRecord } from '../../shared/domain/audit';
import { CARE_EVENT_SOURCE, careEventsOf, type CareEvent } from '../../shared/domain/care-events';
import { requireEnv } from '../../shared/env';
import { asStayImage, partOfEntityType } from '../../shared/domain/stay-parts';
import { facilityTimeZone, siteConfig } from '../../shared/site-config';
import { countForMetrics, type CountDeps } from '../../shared/care/metrics/count-for-metrics';
import { logger } from '../../shared/observability/logger';
import { observed } from '../../shared/observability/middleware';
import { tracer } from '../../shared/observability/tracer';
import { ports } from '../../shared/care/ports';
import type { Stores } from '../../shared/store';
import { imagesOf } from '../../shared/stream/images';

type Image = Record<string, unknown>;
type Owner = { patientId: string; facilityId: string };

export interface ChangeDeps {
  audit: Stores['audit'];
  encounters: Pick<Stores['encounters'], 'get'>;
  publish: (events: CareEvent[]) => Promise<void>;
}

const ACTIONS = { INSERT: 'create', MODIFY: 'update', REMOVE: 'delete' } as const;

/** An item names its patient and facility, or its encounter does (education, alerts, team …). */
async function ownerOf(item: Image, deps: ChangeDeps): Promise<Owner | undefined> {
  if (typeof item.patientId === 'string' && typeof item.facilityId === 'string')
    return { patientId: item.patientId, facilityId: item.facilityId };
  if (typeof item.encounterId !== 'string') return undefined;
  const encounter = await deps.encounters.get(item.encounterId);
  return encounter ? { patientId: encounter.patientId, facilityId: encounter.facilityId } : undefined;
}

/** Each encounter read once per batch, however many of its records changed (auditing and counting both ask). */
function readOncePerBatch(encounters: ChangeDeps['encounters']): ChangeDeps['encounters'] {
  const reads = new Map<string, ReturnType<ChangeDeps['encounters']['get']>>();
  return {
    get: (encounterId) => {
      if (!reads.has(encounterId)) reads.set(encounterId, encounters.get(encounterId));
      return reads.get(encounterId)!;
    },
  };
}

/** What one stored change means for the record: its line in the patient's audit trail, and the care events it announces. */
export async function consequencesOf(record: DynamoDBRecord, deps: ChangeDeps): Promise<{ audit?: AuditRecord; events: CareEvent[] }> {
  const action = record.eventName ? ACTIONS[record.eventName] : undefined;
  const { oldItem, newItem } = imagesOf<Image>(record);
  const item = newItem ?? oldItem;
  if (!action || !item || !record.eventID || !auditedEntity(item)) return { events: [] };
  const owner = await ownerOf(item, deps);
  if (!owner) {
    // An item whose encounter is gone cannot be placed in a trail; say so loudly (ids only).
    logger.warn('Change without an owning patient; not audited', { eventId: record.eventID, entityType: String(item.entityType) });
    return { events: [] };
  }
  const at = new Date((record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000).toISOString();
  const change = { id: record.eventID, at, action, ...(oldItem ? { oldItem } : {}), ...(newItem ? { newItem } : {}), owner };
  const audit = auditOfChange(change);
  return { ...(audit ? { audit } : {}), events: careEventsOf(await asStayChange(change, item, deps), facilityTimeZone(owner.facilityId)) };
}

/**
 * A change of the encounter record or of a part, as a change of the whole stay (the record's
 * images joined with the stay's other records as they stand): a risk tier depends on the risk
 * part and the stay's dates together. Any other record's change is itself.
 */
async function asStayChange<C extends { oldItem?: Image; newItem?: Image }>(change: C, item: Image, deps: ChangeDeps): Promise<C> {
  if (item.entityType !== 'Encounter' && !partOfEntityType(item.entityType)) return change;
  // A new stay has no parts yet (each is written after its encounter): the stay as read now, perhaps
  // later, would lend the admission what was recorded since, a tier appearing from nothing.
  if (item.entityType === 'Encounter' && !change.oldItem) return change;
  const stay =
    typeof item.encounterId === 'string' ? ((await deps.encounters.get(item.encounterId)) as unknown as Image | undefined) : undefined;
  // A part's first write is a change of a stay that existed before it, not a new stay.
  const { oldItem = item.entityType === 'Encounter' ? undefined : { entityType: item.entityType, pk: item.pk }, newItem } = change;
  return {
    ...change,
    oldItem: oldItem && asStayImage(oldItem, stay),
    newItem: newItem && asStayImage(newItem, stay),
  };
}

let eventBridge: EventBridgeClient | undefined;

/** PutEvents reports failures per entry, not by throwing: any failed entry fails the record so it is retried. */
async function publishToBus(events: CareEvent[]): Promise<void> {
  eventBridge ??= tracer.captureAWSv3Client(new EventBridgeClient({}));
  const out = await eventBridge.send(
    new PutEventsCommand({
      Entries: events.map((event) => ({
        EventBusName: requireEnv('CARE_EVENT_BUS_NAME'),
        Source: CARE_EVENT_SOURCE,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      })),
    }),
  );
  if ((out.FailedEntryCount ?? 0) > 0) {
    const error = new Error(`${out.FailedEntryCount} care event(s) were not accepted`);
    error.name = 'CareEventPublishError';
    throw error;
  }
}

/** PutEvents takes at most ten entries. */
const PUT_EVENTS_LIMIT = 10;

/**
 * A batch of changes: their audit lines appended (at once: each is its own conditional put), their
 * care events published in order, then each changed record counted once, at its newest image.
 * Every step is idempotent, so a failure has the whole batch delivered again. (Record by record,
 * at one DynamoDB round trip after another, the consumer fell minutes behind a busy hour.)
 */
export async function auditAnnounceAndCountChanges(
  event: DynamoDBStreamEvent,
  batchDeps: ChangeDeps & CountDeps,
): Promise<DynamoDBBatchResponse> {
  const deps = { ...batchDeps, encounters: readOncePerBatch(batchDeps.encounters) };
  try {
    const consequences: Array<{ audit?: AuditRecord; events: CareEvent[] }> = [];
    for (const record of event.Records) consequences.push(await consequencesOf(record, deps));
    await Promise.all(consequences.flatMap(({ audit }) => (audit ? [deps.audit.append(audit)] : [])));
    const events = consequences.flatMap((c) => c.events);
    for (let i = 0; i < events.length; i += PUT_EVENTS_LIMIT) await deps.publish(events.slice(i, i + PUT_EVENTS_LIMIT));
    await countForMetrics(event.Records, deps);
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('Auditing, announcing or counting record changes failed; the batch is retried', {
      errorName: (error as Error).name,
      records: event.Records.length,
    });
    return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
  }
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
  .use(observed())
  .handler((event) =>
    auditAnnounceAndCountChanges(event, {
      audit: ports().audit,
      encounters: ports().encounters,
      metrics: ports().metrics,
      publish: publishToBus,
      timeZoneOf: (facilityId) => siteConfig().facilityTimeZones[facilityId],
    }),
  );
