import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import { matchesFilterPattern } from '../../local/filter-pattern';
import { reactionFilterPatterns, reactionFor, STREAM_REACTIONS } from '../../shared/stream/reactions';

/** A stream record as Lambda's filter sees it (images in DynamoDB JSON). */
const record = (eventName: string, newImage: Record<string, unknown>, oldImage?: Record<string, unknown>) => ({
  eventName,
  dynamodb: { NewImage: marshall(newImage), ...(oldImage ? { OldImage: marshall(oldImage) } : {}) },
});
const passesFilter = (event: unknown) => reactionFilterPatterns().some((pattern) => matchesFilterPattern(pattern, event));

describe('the stream reactions table', () => {
  it('fits in one event source mapping (at most five filter patterns)', () => {
    expect(reactionFilterPatterns().length).toBeLessThanOrEqual(5);
  });

  // Every entity type the table names, under every event and with and without each condition:
  // the generated filter lets a change through exactly when the dispatch has a reaction for it.
  const entityTypes = [...new Set(Object.values(STREAM_REACTIONS).map((reaction) => reaction.entityType)), 'Alert', 'GoalsOfCare'];
  const variants = [{}, { resume: 'pending' }, { resume: 'delivered' }, { deathEffects: 'pending' }, { deathEffects: 'done' }];
  for (const entityType of entityTypes) {
    for (const eventName of ['INSERT', 'MODIFY', 'REMOVE']) {
      for (const extra of variants) {
        it(`${eventName} ${entityType} ${JSON.stringify(extra)}: filter and dispatch agree`, () => {
          const image = { pk: 'X#1', sk: 'X', entityType, ...extra };
          const old = eventName === 'MODIFY' ? image : undefined;
          const dispatched = reactionFor(eventName, image, old !== undefined);
          expect(passesFilter(record(eventName, image, old))).toBe(dispatched !== undefined);
        });
      }
    }
  }

  it('dispatches by kind of change', () => {
    expect(reactionFor('INSERT', { entityType: 'Encounter' }, false)).toBe('stayAdmitted');
    expect(reactionFor('MODIFY', { entityType: 'Encounter' }, true)).toBe('stayChanged');
    expect(reactionFor('MODIFY', { entityType: 'CareTask', resume: 'pending' }, true)).toBe('taskAnswered');
    expect(reactionFor('MODIFY', { entityType: 'CareTask', resume: 'delivered' }, true)).toBeUndefined();
    expect(reactionFor('INSERT', { entityType: 'Patient', deathEffects: 'pending' }, false)).toBe('deathRecorded');
    // A part of a stay changing is not a change of the encounter record: nothing to follow.
    expect(reactionFor('MODIFY', { entityType: 'GoalsOfCare' }, true)).toBeUndefined();
  });
});
