/**
 * What the table's stream makes happen, as one table (issue 18 item 3): which stored change of
 * which record type calls which reaction. The stack's event-source filters are generated from it
 * (reactionFilterPatterns) and the consumer (functions/react-to-record-changes) dispatches by it
 * (reactionFor), so a change the filter lets through always has its reaction, and a reaction
 * never waits for changes the filter drops.
 */
export type StreamEventName = 'INSERT' | 'MODIFY';

export interface StreamReaction {
  entityType: string;
  events: readonly StreamEventName[];
  /** String attributes the new image must hold, e.g. a resume still pending. */
  newImage?: Readonly<Record<string, string>>;
  /** The reaction compares with what the record was: only changes with an old image. */
  needsOldImage?: boolean;
}

export const STREAM_REACTIONS = {
  /** An admission stored: start discharge planning, give the stay a care manager. */
  stayAdmitted: { entityType: 'Encounter', events: ['INSERT'] },
  /** The encounter record changed (ADT, the workflow): follow discharge, cancel, reopen; move caseloads. */
  stayChanged: { entityType: 'Encounter', events: ['MODIFY'], needsOldImage: true },
  /** A death recorded whose effects are not done yet (react-to-record-changes/follow-death.ts). */
  deathRecorded: { entityType: 'Patient', events: ['INSERT', 'MODIFY'], newImage: { deathEffects: 'pending' } },
  /** A person completed a task: hand the answer to the execution waiting on it. */
  taskAnswered: { entityType: 'CareTask', events: ['MODIFY'], newImage: { resume: 'pending' } },
  referralAnswered: { entityType: 'Referral', events: ['MODIFY'], newImage: { resume: 'pending' } },
  transferRequested: { entityType: 'Transfer', events: ['INSERT'] },
  transferAnswered: { entityType: 'Transfer', events: ['MODIFY'], newImage: { resume: 'pending' } },
  grievanceFiled: { entityType: 'Grievance', events: ['INSERT'] },
  grievanceAnswered: { entityType: 'Grievance', events: ['MODIFY'], newImage: { resume: 'pending' } },
} as const satisfies Record<string, StreamReaction>;

export type ReactionName = keyof typeof STREAM_REACTIONS;

/** The reaction a stored change calls, by the same test its filter pattern makes (plus the old image where one is needed). */
export function reactionFor(
  eventName: string | undefined,
  newImage: Record<string, unknown> | undefined,
  hasOldImage: boolean,
): ReactionName | undefined {
  if (!newImage) return undefined;
  for (const [name, reaction] of Object.entries(STREAM_REACTIONS) as Array<[ReactionName, StreamReaction]>) {
    if (reaction.entityType !== newImage.entityType || !reaction.events.includes(eventName as StreamEventName)) continue;
    if (Object.entries(reaction.newImage ?? {}).some(([attribute, value]) => newImage[attribute] !== value)) continue;
    if (reaction.needsOldImage && !hasOldImage) continue;
    return name;
  }
  return undefined;
}

/**
 * The event-source filter patterns (Lambda's filter syntax) that let exactly the table's changes
 * through: reactions with the same events and image conditions share one pattern (an event
 * source mapping takes at most five).
 */
export function reactionFilterPatterns(): Array<Record<string, unknown>> {
  const groups = new Map<string, { events: readonly StreamEventName[]; newImage: Record<string, string>; entityTypes: string[] }>();
  for (const reaction of Object.values(STREAM_REACTIONS) as StreamReaction[]) {
    const newImage = reaction.newImage ?? {};
    const key = JSON.stringify([reaction.events, Object.entries(newImage).sort()]);
    const group = groups.get(key) ?? { events: reaction.events, newImage, entityTypes: [] };
    if (!group.entityTypes.includes(reaction.entityType)) group.entityTypes.push(reaction.entityType);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({
    eventName: [...group.events],
    dynamodb: {
      NewImage: {
        entityType: { S: group.entityTypes },
        ...Object.fromEntries(Object.entries(group.newImage).map(([attribute, value]) => [attribute, { S: [value] }])),
      },
    },
  }));
}
