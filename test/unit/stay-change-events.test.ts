import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { consequencesOf, type ChangeDeps } from '../../functions/audit-announce-and-count-changes/handler';
import { CARE_EVENT_TYPES } from '../../shared/domain/care-events';
import type { Encounter } from '../../shared/domain/encounter';

const riskInputs = {
  conditions: ['C78.0'],
  edVisitsPrior6Months: 4,
  admissionsPrior12Months: 0,
  oncologyService: false,
  procedureDuringStay: false,
};
const admitted = {
  pk: 'ENCOUNTER#e-1',
  sk: 'ENCOUNTER',
  entityType: 'Encounter',
  encounterId: 'e-1',
  patientId: 'p-1',
  facilityId: 'F1',
  unit: '4W',
  class: 'inpatient',
  status: 'admitted',
  admittedAt: '2026-11-20T08:00:00Z',
  version: 1,
};
const record = (eventName: 'INSERT' | 'MODIFY', newImage: Record<string, unknown>, oldImage?: Record<string, unknown>): DynamoDBRecord => ({
  eventID: `ev-${eventName}`,
  eventName,
  dynamodb: {
    ApproximateCreationDateTime: Date.parse('2026-11-21T10:00:00Z') / 1000,
    NewImage: marshall(newImage) as never,
    ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}),
  },
});

/** The stay as read when the change is handled: perhaps long after, with its risk recorded since. */
const deps = (stay: Record<string, unknown>): ChangeDeps => ({
  audit: {} as ChangeDeps['audit'],
  encounters: { get: async () => stay as unknown as Encounter },
  publish: async () => {},
});
const tierEvents = async (change: DynamoDBRecord, stay: Record<string, unknown>) =>
  (await consequencesOf(change, deps(stay))).events.filter((event) => event.detailType === CARE_EVENT_TYPES.riskTierChanged);

describe('care events of a change of the stay', () => {
  it('announces no risk tier for an admission read after its risk was recorded (the stream ran late)', async () => {
    const stayNow = { ...admitted, riskInputs, partVersions: { risk: 1 } };
    expect(await tierEvents(record('INSERT', admitted), stayNow)).toEqual([]);
  });

  it("announces the tier a risk part's first write gives, from none", async () => {
    const part = {
      pk: 'ENCOUNTER#e-1',
      sk: 'ENCOUNTER#risk',
      entityType: 'RiskInputs',
      encounterId: 'e-1',
      part: 'risk',
      version: 1,
      riskInputs,
    };
    const events = await tierEvents(record('INSERT', part), { ...admitted, riskInputs });
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ from: null });
  });
});
