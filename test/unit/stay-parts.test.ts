import { describe, expect, it } from 'vitest';
import type { Encounter } from '../../shared/domain/encounter';
import {
  asStayImage,
  fieldsOfPart,
  partFieldsOf,
  partOfEntityType,
  partOfField,
  partOfPath,
  splitByRecord,
  STAY_PART_NAMES,
  STAY_PARTS,
  withoutParts,
} from '../../shared/domain/stay-parts';
import { fromItem } from '../../shared/store/dynamo';
import { assembleStay, versionedUpdate } from '../../shared/store/encounter-store';

const TABLE = 'carepath-test';
const NOW = new Date('2026-12-03T10:15:00.000Z');

/** A synthetic outpatient stay as a read assembles it: the encounter record at version 4, parts at their own versions. */
function stay(over: Partial<Encounter> = {}): Encounter {
  return {
    encounterId: 'enc-1',
    facilityId: 'F1',
    patientId: 'pat-1',
    unit: '5E',
    class: 'inpatient',
    admissionType: 'elective',
    admittedAt: '2026-11-28T09:00:00.000Z',
    status: 'assessment-pending',
    version: 4,
    createdAt: '2026-11-28T09:00:01.000Z',
    updatedAt: '2026-11-29T09:00:00.000Z',
    ...over,
  };
}

const goals = {
  goals: ['Garden again'],
  treatmentPreferences: [],
  preferredLanguage: 'pt',
  interpreterNeeded: true,
  preferredPostAcuteProviders: [],
  recordedBy: 'CM Synthetic',
  recordedAt: '2026-12-01T08:00:00.000Z',
} as unknown as Encounter['goalsAndPreferences'];
const goalsOfCare = {
  level: 'full-treatment',
  codeStatus: 'full-code',
  directives: [],
  recordedBy: 'Dr Synthetic',
  recordedAt: '2026-12-01T08:00:00.000Z',
} as unknown as Encounter['goalsOfCare'];
const openFollowUp = { status: 'open', complexity: 'high', attempts: [] } as unknown as Encounter['followUp'];
const survey = { surveyId: 's-1', sentAt: '2026-12-02T00:00:00.000Z', status: 'sent' } as Encounter['satisfactionSurvey'];

/** The values an update request sets, by attribute name; and the attributes it removes. */
function decoded(update: ReturnType<typeof versionedUpdate>['updates'][number]) {
  const names = update.ExpressionAttributeNames!;
  const values = update.ExpressionAttributeValues ? fromItem(update.ExpressionAttributeValues) : {};
  const [setPart = '', removePart = ''] = update.UpdateExpression!.replace(/^SET /, '').split(' REMOVE ');
  const sets = Object.fromEntries(
    setPart
      .split(', ')
      .filter(Boolean)
      .map((assignment) => {
        const [name, value] = assignment.split(' = ');
        return [names[name!], values[value!]];
      }),
  );
  const removes = removePart
    .split(', ')
    .filter(Boolean)
    .map((name) => names[name]!);
  return {
    key: fromItem<{ pk: string; sk: string }>(update.Key!),
    sets: sets as Record<string, unknown>,
    removes,
    condition: update.ConditionExpression,
    expected: values[':expected'],
  };
}

describe('the parts table', () => {
  it('gives every field, entity type and path one part, and leaves the encounter record its own fields', () => {
    expect(STAY_PART_NAMES).toHaveLength(9);
    for (const part of STAY_PART_NAMES) {
      expect(partOfEntityType(STAY_PARTS[part].entityType)).toBe(part);
      expect(partOfPath(STAY_PARTS[part].path)).toBe(part);
      for (const field of STAY_PARTS[part].fields) expect(partOfField(field)).toBe(part);
    }
    expect(partOfField('riskOverride')).toBe('risk');
    expect(partOfField('choiceList')).toBe('patientChoice');
    for (const own of ['status', 'discharge', 'dischargePlan', 'dischargeReadiness', 'leadCareManagerId', 'version'])
      expect(partOfField(own)).toBeUndefined();
    expect(partOfEntityType('Encounter')).toBeUndefined();
    expect(partOfEntityType(undefined)).toBeUndefined();
  });
});

describe('splitByRecord', () => {
  it('keeps the encounter record its own fields and groups the rest by part, removals (undefined) included', () => {
    const { own, parts } = splitByRecord({
      unit: '6W',
      dischargeReadiness: undefined,
      riskInputs: { conditions: [] },
      riskOverride: undefined,
      choiceList: { offered: [] },
      goalsOfCare,
    });
    expect(own).toEqual({ unit: '6W', dischargeReadiness: undefined });
    expect('dischargeReadiness' in own).toBe(true);
    expect([...parts.keys()].sort()).toEqual(['goalsOfCare', 'patientChoice', 'risk']);
    expect(parts.get('risk')).toEqual({ riskInputs: { conditions: [] }, riskOverride: undefined });
    expect('riskOverride' in parts.get('risk')!).toBe(true);
    expect(parts.get('patientChoice')).toEqual({ choiceList: { offered: [] } });
  });

  it('is empty on both sides for no change', () => {
    const { own, parts } = splitByRecord({});
    expect(own).toEqual({});
    expect(parts.size).toBe(0);
  });
});

describe('fieldsOfPart, withoutParts, partFieldsOf', () => {
  const full = {
    ...stay({
      goalsAndPreferences: goals,
      goalsOfCare,
      followUp: openFollowUp,
      partVersions: { goalsAndPreferences: 2, goalsOfCare: 1, followUp: 3 },
    }),
    riskInputs: { conditions: ['I50.9'] },
  } as unknown as Record<string, unknown>;

  it("picks a part's fields and nothing else, leaving out the ones not set", () => {
    expect(fieldsOfPart('goalsOfCare', full)).toEqual({ goalsOfCare });
    expect(fieldsOfPart('risk', full)).toEqual({ riskInputs: { conditions: ['I50.9'] } });
    expect(fieldsOfPart('satisfactionSurvey', full)).toEqual({});
  });

  it('leaves the encounter record what it holds itself, and partFieldsOf what it leaves out', () => {
    const own = withoutParts(full);
    expect(own).toEqual(stay());
    expect(full.goalsOfCare).toBe(goalsOfCare); // a copy, the stay untouched
    expect(partFieldsOf(full)).toEqual({
      goalsAndPreferences: goals,
      goalsOfCare,
      followUp: openFollowUp,
      riskInputs: { conditions: ['I50.9'] },
    });
    expect({ ...own, ...partFieldsOf(full), partVersions: full.partVersions }).toEqual(full);
  });
});

describe('asStayImage', () => {
  const now = stay({
    goalsAndPreferences: goals,
    goalsOfCare,
    satisfactionSurvey: survey,
    partVersions: { goalsAndPreferences: 2, goalsOfCare: 1, satisfactionSurvey: 1 },
  }) as unknown as Record<string, unknown>;
  const encounterKey = { pk: 'ENCOUNTER#enc-1', sk: 'ENCOUNTER' };

  it("joins an encounter record's image with the parts as they stand", () => {
    const image = { ...encounterKey, entityType: 'Encounter', ...stay({ status: 'discharged', version: 5 }) };
    expect(asStayImage(image, now)).toEqual({ ...image, goalsAndPreferences: goals, goalsOfCare, satisfactionSurvey: survey });
    expect(asStayImage(image, undefined)).toEqual(image);
  });

  it("is the whole stay with the part's image in place of the part: the other parts as they stand, under the encounter's key", () => {
    const revised = { ...goalsOfCare!, level: 'comfort-focused' };
    const image = {
      pk: 'ENCOUNTER#enc-1',
      sk: 'ENCOUNTER#goalsOfCare',
      entityType: 'GoalsOfCare',
      encounterId: 'enc-1',
      part: 'goalsOfCare',
      version: 2,
      goalsOfCare: revised,
    };
    const whole = asStayImage(image as Record<string, unknown>, now)!;
    expect(whole).toMatchObject({
      ...encounterKey,
      entityType: 'Encounter',
      encounterId: 'enc-1',
      status: 'assessment-pending',
      version: 4,
      goalsOfCare: revised,
    });
    // The stay's counts are replaced by those of this image: a part left out here would be uncounted.
    expect(whole.goalsAndPreferences).toEqual(goals);
    expect(whole.satisfactionSurvey).toEqual(survey);
    expect(whole).not.toHaveProperty('partVersions');
    expect(whole).not.toHaveProperty('part');
  });

  it("a part's first write: the image before it is the stay without that part (its fields absent), the rest as they stand", () => {
    const absent = { pk: 'ENCOUNTER#enc-1', sk: 'ENCOUNTER#goalsOfCare', entityType: 'GoalsOfCare' };
    const before = asStayImage(absent, now)!;
    expect(before).not.toHaveProperty('goalsOfCare');
    expect(before).toMatchObject({ ...encounterKey, entityType: 'Encounter', status: 'assessment-pending', goalsAndPreferences: goals });
  });

  it('is undefined for a record of anything else, and for a part whose stay is gone', () => {
    expect(asStayImage({ pk: 'ENCOUNTER#enc-1', sk: 'CAREPLAN', entityType: 'CarePlan' }, now)).toBeUndefined();
    expect(
      asStayImage({ pk: 'ENCOUNTER#enc-1', sk: 'ENCOUNTER#goalsOfCare', entityType: 'GoalsOfCare', goalsOfCare }, undefined),
    ).toBeUndefined();
  });
});

describe('versionedUpdate', () => {
  it('a change of the encounter record only: one update of its key, on its version; the parts untouched', () => {
    const current = stay({ partVersions: { goalsOfCare: 3 }, goalsOfCare });
    const { next, updates } = versionedUpdate(
      TABLE,
      current,
      { status: 'awaiting-discharge-order', fields: { unit: '6W', dischargeReadiness: undefined } },
      NOW,
    );
    expect(updates).toHaveLength(1);
    const update = decoded(updates[0]!);
    expect(update.key).toEqual({ pk: 'ENCOUNTER#enc-1', sk: 'ENCOUNTER' });
    expect(update.condition).toBe('#version = :expected');
    expect(update.expected).toBe(4);
    expect(update.sets).toMatchObject({ unit: '6W', status: 'awaiting-discharge-order', version: 5, updatedAt: NOW.toISOString() });
    expect(update.removes).toContain('dischargeReadiness');
    expect(updates[0]!.TableName).toBe(TABLE);
    expect(next).toMatchObject({
      unit: '6W',
      status: 'awaiting-discharge-order',
      version: 5,
      updatedAt: NOW.toISOString(),
      partVersions: { goalsOfCare: 3 },
      goalsOfCare,
    });
  });

  it("a change of one part: one update of that part's key on the part's version; the encounter's version and updatedAt unchanged", () => {
    const current = stay({ partVersions: { goalsOfCare: 3, needsAssessment: 1 }, goalsOfCare });
    const revised = { ...goalsOfCare!, codeStatus: 'dnr' } as Encounter['goalsOfCare'];
    const { next, updates } = versionedUpdate(TABLE, current, { fields: { goalsOfCare: revised } }, NOW);
    expect(updates).toHaveLength(1);
    const update = decoded(updates[0]!);
    expect(update.key).toEqual({ pk: 'ENCOUNTER#enc-1', sk: 'ENCOUNTER#goalsOfCare' });
    expect(update.condition).toBe('#version = :expected');
    expect(update.expected).toBe(3);
    expect(update.sets).toEqual({
      goalsOfCare: revised,
      entityType: 'GoalsOfCare',
      encounterId: 'enc-1',
      part: 'goalsOfCare',
      version: 4,
      updatedAt: NOW.toISOString(),
    });
    expect(next.version).toBe(4);
    expect(next.updatedAt).toBe(current.updatedAt);
    expect(next.partVersions).toEqual({ goalsOfCare: 4, needsAssessment: 1 });
    expect(next.goalsOfCare).toEqual(revised);
  });

  it("a part's first write (version 0): created only if it does not exist, at version 1", () => {
    const { next, updates } = versionedUpdate(TABLE, stay(), { fields: { goalsAndPreferences: goals } }, NOW);
    expect(updates).toHaveLength(1);
    const update = decoded(updates[0]!);
    expect(update.key).toEqual({ pk: 'ENCOUNTER#enc-1', sk: 'ENCOUNTER#goalsAndPreferences' });
    expect(update.condition).toBe('attribute_not_exists(#version)');
    expect(update.expected).toBeUndefined();
    expect(updates[0]!.ExpressionAttributeNames!['#version']).toBe('version');
    expect(update.sets).toMatchObject({ version: 1, entityType: 'GoalsAndPreferences' });
    expect(next.partVersions).toEqual({ goalsAndPreferences: 1 });
    expect(next.version).toBe(4);
  });

  it('a part holding two fields: one update for both, a removal as REMOVE', () => {
    const current = stay({
      partVersions: { risk: 2 },
      riskInputs: { conditions: [] } as unknown as Encounter['riskInputs'],
      riskOverride: { tier: 'high' } as unknown as Encounter['riskOverride'],
    });
    const { next, updates } = versionedUpdate(
      TABLE,
      current,
      { fields: { riskInputs: { conditions: ['J44.1'] } as unknown as Encounter['riskInputs'], riskOverride: undefined } },
      NOW,
    );
    expect(updates).toHaveLength(1);
    const update = decoded(updates[0]!);
    expect(update.key.sk).toBe('ENCOUNTER#risk');
    expect(update.sets).toMatchObject({ riskInputs: { conditions: ['J44.1'] }, entityType: 'RiskInputs', version: 3 });
    expect(update.removes).toEqual(['riskOverride']);
    expect(next).not.toHaveProperty('riskOverride');
  });

  it('a mixed change: the encounter record and each part, each on its own version', () => {
    const current = stay({ partVersions: { patientChoice: 1 } });
    const { next, updates } = versionedUpdate(
      TABLE,
      current,
      {
        status: 'awaiting-discharge-order',
        fields: {
          dischargeReadiness: { ready: true } as unknown as Encounter['dischargeReadiness'],
          patientChoice: { providerId: 'p-1' } as unknown as Encounter['patientChoice'],
          serviceArrangements: [],
        },
      },
      NOW,
    );
    const byKey = Object.fromEntries(updates.map((u) => decoded(u)).map((u) => [u.key.sk, u]));
    expect(Object.keys(byKey).sort()).toEqual(['ENCOUNTER', 'ENCOUNTER#patientChoice', 'ENCOUNTER#serviceArrangements']);
    expect(byKey.ENCOUNTER).toMatchObject({ expected: 4, sets: { version: 5, status: 'awaiting-discharge-order' } });
    expect(byKey['ENCOUNTER#patientChoice']).toMatchObject({ condition: '#version = :expected', expected: 1, sets: { version: 2 } });
    expect(byKey['ENCOUNTER#serviceArrangements']).toMatchObject({
      condition: 'attribute_not_exists(#version)',
      sets: { version: 1, serviceArrangements: [] },
    });
    expect(next).toMatchObject({ version: 5, partVersions: { patientChoice: 2, serviceArrangements: 1 } });
  });

  it('nothing to write for no change, nor for a status set to what it is', () => {
    expect(versionedUpdate(TABLE, stay(), { fields: {} }, NOW).updates).toEqual([]);
    const same = versionedUpdate(TABLE, stay(), { status: 'assessment-pending', fields: {} }, NOW);
    expect(same.updates).toEqual([]);
    expect(same.next.version).toBe(4);
  });

  it('the follow-up part carries the following-up index only while the stay is discharged and the follow-up open', () => {
    const indexOf = (current: Encounter, followUp: Encounter['followUp']) =>
      decoded(versionedUpdate(TABLE, current, { fields: { followUp } }, NOW).updates[0]!);
    const discharged = stay({ status: 'discharged', partVersions: { followUp: 1 }, followUp: openFollowUp });
    const open = indexOf(discharged, openFollowUp);
    expect(open.key.sk).toBe('ENCOUNTER#followUp');
    expect(open.sets.gsi2pk).toMatch(/^FOLLOWING_UP#\d+$/);
    expect(open.sets.gsi2sk).toBe('2026-11-28T09:00:00.000Z#enc-1');

    const closed = indexOf(discharged, { ...openFollowUp!, status: 'closed' });
    expect(closed.sets).not.toHaveProperty('gsi2pk');
    expect(closed.removes).toEqual(expect.arrayContaining(['gsi2pk', 'gsi2sk']));

    const notDischarged = indexOf(stay({ status: 'awaiting-discharge-order' }), openFollowUp);
    expect(notDischarged.removes).toEqual(expect.arrayContaining(['gsi2pk', 'gsi2sk']));

    // Another part never carries it, whatever the stay's state.
    const goalsWrite = decoded(versionedUpdate(TABLE, discharged, { fields: { goalsAndPreferences: goals } }, NOW).updates[0]!);
    expect(Object.keys(goalsWrite.sets).concat(goalsWrite.removes)).not.toContain('gsi2pk');
  });

  it('the stay it says it will be is what a read of the written records assembles', () => {
    const current = stay({ partVersions: { goalsOfCare: 1 }, goalsOfCare });
    const { next, updates } = versionedUpdate(
      TABLE,
      current,
      { status: 'awaiting-discharge-order', fields: { unit: '6W', goalsAndPreferences: goals, goalsOfCare: undefined } },
      NOW,
    );
    // Apply each update to the records as stored (the encounter's, the goals of care's).
    const stored: Record<string, Record<string, unknown>> = {
      ENCOUNTER: {
        ...withoutParts(current as unknown as Record<string, unknown>),
        pk: 'ENCOUNTER#enc-1',
        sk: 'ENCOUNTER',
        entityType: 'Encounter',
      },
      'ENCOUNTER#goalsOfCare': { pk: 'ENCOUNTER#enc-1', sk: 'ENCOUNTER#goalsOfCare', entityType: 'GoalsOfCare', goalsOfCare, version: 1 },
    };
    for (const update of updates.map(decoded)) {
      const record: Record<string, unknown> = { ...(stored[update.key.sk] ?? update.key), ...update.sets };
      for (const field of update.removes) delete record[field];
      stored[update.key.sk] = record;
    }
    expect(assembleStay(Object.values(stored))).toEqual(next);
  });
});
