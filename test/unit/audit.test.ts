import { DynamoDBClient, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { auditOfChange, canonicalJson, changeHash, type ChangeStamp } from '../../shared/domain/audit';
import { CARE_EVENT_TYPES, careEventsOf } from '../../shared/domain/care-events';
import { actingAs, stampChanges } from '../../shared/store/change-stamp';

const owner = { patientId: 'p-1', facilityId: 'F1' };
const stamp = (changeId: string): ChangeStamp => ({
  who: 'client-a',
  role: 'integration-client',
  facilityId: 'F1',
  via: 'req-1',
  changeId,
  at: '2026-11-20T10:00:00Z',
});
const encounter = (extra: Record<string, unknown> = {}) => ({
  entityType: 'Encounter',
  encounterId: 'e-1',
  patientId: 'p-1',
  facilityId: 'F1',
  admittedAt: '2026-11-18T08:00:00Z',
  admissionType: 'elective',
  version: 3,
  ...extra,
});

describe('audit line of a stored change', () => {
  it('names the stamped actor, the entity, its version and a hash of what was written', () => {
    const newItem = { ...encounter(), lastChange: stamp('c2') };
    const record = auditOfChange({
      id: 'ev-1',
      at: '2026-11-20T10:00:01Z',
      action: 'update',
      oldItem: { ...encounter(), lastChange: stamp('c1') },
      newItem,
    });
    expect(record).toEqual({
      auditId: 'ev-1',
      patientId: 'p-1',
      facilityId: 'F1',
      at: '2026-11-20T10:00:01Z',
      action: 'update',
      entity: { type: 'Encounter', id: 'e-1' },
      encounterId: 'e-1',
      version: 3,
      changeHash: changeHash(encounter()),
      actor: { who: 'client-a', role: 'integration-client', facilityId: 'F1', via: 'req-1' },
    });
  });

  it('attributes a write that kept the previous stamp to the workflow (a direct DynamoDB task)', () => {
    const record = auditOfChange({
      id: 'ev-2',
      at: 'x',
      action: 'update',
      oldItem: { ...encounter(), lastChange: stamp('c1') },
      newItem: { ...encounter({ version: 4 }), lastChange: stamp('c1') },
    });
    expect(record?.actor).toEqual({ who: 'step-functions', role: 'workflow' });
  });

  it('places an item that names only its encounter under the encounter owner', () => {
    const alert = { entityType: 'Alert', alertId: 'a-1', encounterId: 'e-1', breach: { code: '8867-4' } };
    expect(auditOfChange({ id: 'ev-3', at: 'x', action: 'create', newItem: alert, owner })).toMatchObject({
      patientId: 'p-1',
      facilityId: 'F1',
      entity: { type: 'Alert', id: 'a-1' },
    });
    expect(auditOfChange({ id: 'ev-3', at: 'x', action: 'create', newItem: alert })).toBeUndefined();
  });

  it('records a workflow state that ran as a workflow step, and a TTL removal as the platform', () => {
    const run = { entityType: 'WorkflowStepRun', encounterId: 'e-1', execution: 'x-1', state: 'Screen patient at admission', at: 'x' };
    expect(
      auditOfChange({
        id: 'ev-4',
        at: 'x',
        action: 'create',
        newItem: { ...run, lastChange: { ...stamp('c9'), who: 'x-1', role: 'workflow' } },
        owner,
      }),
    ).toMatchObject({
      patientId: 'p-1',
      action: 'workflow-step',
      entity: { type: 'WorkflowStep', id: 'Screen patient at admission' },
      actor: { who: 'x-1', role: 'workflow' },
    });
    expect(
      auditOfChange({
        id: 'ev-5',
        at: 'x',
        action: 'delete',
        oldItem: { entityType: 'CareTask', taskId: 't-1', encounterId: 'e-1', facilityId: 'F1' },
        owner,
      })?.actor,
    ).toEqual({ who: 'dynamodb-ttl', role: 'system' });
  });

  it.each(['AdmitRequest', 'AdtMessage', 'AuditEntry', 'AuditRecord', 'PatientIdentifier', 'Visit', 'CarePlanVersion'])(
    'leaves plumbing (%s) out',
    (entityType) => {
      expect(
        auditOfChange({
          id: 'ev',
          at: 'x',
          action: 'create',
          newItem: { entityType, encounterId: 'e-1', patientId: 'p-1', facilityId: 'F1' },
          owner,
        }),
      ).toBeUndefined();
    },
  );

  const adtEntry = (detail: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    entityType: 'AdtEvent',
    entryId: 'a-1',
    at: '2026-11-21T10:00:00Z',
    action: `adt.${String(detail.event ?? 'A08')}`,
    actor: 'adt:GENHOSP',
    patientId: 'p-1',
    facilityId: 'F1',
    lastChange: stamp('c-9'),
    detail,
    ...extra,
  });

  it.each([
    {
      name: 'a late A08 recorded in history only',
      detail: {
        controlId: 'MSG-7',
        event: 'A08',
        eventTime: '2026-11-20T09:00:00.000Z',
        applied: [],
        stale: ['location', 'details'],
        note: "A08 older than the encounter's current location, details: recorded in history only",
      },
      expected: {
        controlId: 'MSG-7',
        event: 'A08',
        eventTime: '2026-11-20T09:00:00.000Z',
        applied: [],
        stale: ['location', 'details'],
        note: expect.stringContaining('recorded in history only'),
      },
    },
    {
      name: 'an A03 that discharged',
      detail: {
        controlId: 'MSG-8',
        event: 'A03',
        eventTime: '2026-11-22T10:00:00.000Z',
        applied: ['discharge'],
        stale: [],
        note: 'A03 processed: discharge',
      },
      expected: { controlId: 'MSG-8', event: 'A03', applied: ['discharge'], note: 'A03 processed: discharge' },
    },
    {
      name: 'an A40 merge (event from the action when detail has none), extra detail left out',
      detail: { controlId: 'MSG-9', eventTime: '2026-11-22T10:00:00.000Z', mergedInto: 'p-2', family: 'never shown' },
      expected: { controlId: 'MSG-9', event: 'A08', eventTime: '2026-11-22T10:00:00.000Z' },
    },
  ])('an ADT entry becomes a trail line with control id and event: $name', ({ detail, expected }) => {
    const line = auditOfChange({
      id: 'ev-adt',
      at: '2026-11-21T10:00:01Z',
      action: 'create',
      newItem: adtEntry(detail, { encounterId: 'e-1' }),
    });
    expect(line).toMatchObject({
      patientId: 'p-1',
      facilityId: 'F1',
      action: 'create',
      entity: { type: 'AdtMessage', id: expected.controlId },
      encounterId: 'e-1',
      adt: expected,
    });
    expect(JSON.stringify(line)).not.toContain('never shown');
    // Minimum necessary: only these facts, whatever else the entry's detail holds.
    expect(['controlId', 'event', 'eventTime', 'applied', 'stale', 'note']).toEqual(expect.arrayContaining(Object.keys(line!.adt!)));
  });

  it('an ADT entry without a control id is left out', () => {
    expect(auditOfChange({ id: 'ev', at: 'x', action: 'create', newItem: adtEntry({ event: 'A01' }) })).toBeUndefined();
  });

  it('hashes the same content the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(changeHash({ a: 1, b: 2 })).toBe(changeHash({ b: 2, a: 1 }));
    expect(changeHash({ a: 1 })).not.toBe(changeHash({ a: 2 }));
  });
});

describe('care events of a stored change', () => {
  const at = '2026-11-20T10:00:00Z';
  const riskInputs = {
    conditions: [],
    edVisitsPrior6Months: 0,
    admissionsPrior12Months: 0,
    oncologyService: false,
    procedureDuringStay: false,
  };

  it('announces a new alert, not its later updates', () => {
    const alert = { entityType: 'Alert', alertId: 'a-1', encounterId: 'e-1', breach: { code: '8867-4' } };
    expect(careEventsOf({ id: 'ev', at, action: 'create', newItem: alert, owner })).toEqual([
      {
        detailType: CARE_EVENT_TYPES.alertRaised,
        detail: { eventId: 'ev', facilityId: 'F1', encounterId: 'e-1', patientId: 'p-1', alertId: 'a-1', code: '8867-4' },
      },
    ]);
    expect(careEventsOf({ id: 'ev', at, action: 'update', oldItem: alert, newItem: alert, owner })).toEqual([]);
  });

  it('announces every new care-plan version', () => {
    expect(
      careEventsOf({ id: 'ev', at, action: 'update', newItem: { entityType: 'CarePlan', encounterId: 'e-1', version: 2 }, owner }),
    ).toMatchObject([{ detailType: CARE_EVENT_TYPES.carePlanChanged, detail: { version: 2 } }]);
  });

  it('announces nothing for a data migration moving what is recorded (a stay whose risk moved to its own record)', () => {
    const sicker = encounter({ riskInputs: { ...riskInputs, edVisitsPrior6Months: 4, conditions: ['C78.0'] } });
    const moved = { ...sicker, lastChange: { who: 'migration split-stay-parts', role: 'system', changeId: 'c-1', at } };
    expect(careEventsOf({ id: 'ev', at, action: 'create', oldItem: encounter({}), newItem: moved, owner })).toEqual([]);
    // The same change by a person is announced: only the migration's stamp silences it.
    const byPerson = { ...sicker, lastChange: { who: 'cm-app', role: 'care-manager', changeId: 'c-2', at } };
    expect(careEventsOf({ id: 'ev', at, action: 'create', oldItem: encounter({}), newItem: byPerson, owner })).toMatchObject([
      { detailType: CARE_EVENT_TYPES.riskTierChanged },
    ]);
  });

  it('announces a tier change from new inputs or an override, judged at the same instant', () => {
    const before = encounter({ riskInputs });
    const sicker = encounter({ riskInputs: { ...riskInputs, edVisitsPrior6Months: 4, conditions: ['C78.0'] } });
    expect(careEventsOf({ id: 'ev', at, action: 'update', oldItem: before, newItem: sicker, owner })).toMatchObject([
      { detailType: CARE_EVENT_TYPES.riskTierChanged, detail: { from: 'low', to: 'high' } },
    ]);
    const overridden = encounter({ riskInputs, riskOverride: { tier: 'moderate', reason: 'frailty', clinician: 'Dr S', at } });
    expect(careEventsOf({ id: 'ev', at, action: 'update', oldItem: before, newItem: overridden, owner })).toMatchObject([
      { detailType: CARE_EVENT_TYPES.riskTierChanged, detail: { from: 'low', to: 'moderate' } },
    ]);
    expect(
      careEventsOf({ id: 'ev', at, action: 'update', oldItem: before, newItem: encounter({ riskInputs, unit: '5E' }), owner }),
    ).toEqual([]);
  });

  it('announces a new or moved discharge date (pending or recorded)', () => {
    const pending = encounter({ pendingDischarge: { expectedAt: '2026-11-22T12:00:00Z' } });
    expect(careEventsOf({ id: 'ev', at, action: 'update', oldItem: encounter(), newItem: pending, owner })).toMatchObject([
      { detailType: CARE_EVENT_TYPES.dischargeDateChanged, detail: { from: null, to: '2026-11-22T12:00:00Z' } },
    ]);
    const discharged = encounter({
      pendingDischarge: { expectedAt: '2026-11-22T12:00:00Z' },
      discharge: { disposition: 'home', dischargedAt: '2026-11-22T10:30:00Z' },
    });
    expect(careEventsOf({ id: 'ev', at, action: 'update', oldItem: pending, newItem: discharged, owner })).toMatchObject([
      { detailType: CARE_EVENT_TYPES.dischargeDateChanged, detail: { from: '2026-11-22T12:00:00Z', to: '2026-11-22T10:30:00Z' } },
    ]);
  });
});

describe('change stamp on writes', () => {
  /** A client whose requests stop before the network, handing back what would have been sent. */
  function capturingClient() {
    const sent: Array<Record<string, any>> = [];
    const client = stampChanges(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
    client.middlewareStack.add(
      () => async (args) => {
        sent.push(args.input as Record<string, any>);
        return { output: { $metadata: {} } as never, response: {} };
      },
      { step: 'build', name: 'capture' },
    );
    return { client, sent };
  }
  const actor = { who: 'client-a', role: 'integration-client', facilityId: 'F1', via: 'req-1' };

  it('adds lastChange to puts, to an update SET clause, and to updates without one', async () => {
    const { client, sent } = capturingClient();
    await actingAs(actor, async () => {
      await client.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'a' } } }));
      await client.send(
        new UpdateItemCommand({
          TableName: 't',
          Key: { pk: { S: 'a' } },
          UpdateExpression: 'set #a = :set REMOVE b',
          ExpressionAttributeNames: { '#a': 'a' },
          ExpressionAttributeValues: { ':set': { S: 'x' } },
        }),
      );
      await client.send(
        new UpdateItemCommand({
          TableName: 't',
          Key: { pk: { S: 'a' } },
          UpdateExpression: 'ADD version :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 't', Item: { pk: { S: 'b' } } } },
            { ConditionCheck: { TableName: 't', Key: { pk: { S: 'c' } }, ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      );
    });
    expect(sent[0]!.Item.lastChange.M.who).toEqual({ S: 'client-a' });
    expect(sent[1]!.UpdateExpression).toBe('set #carepathLastChange = :carepathLastChange, #a = :set REMOVE b');
    expect(sent[1]!.ExpressionAttributeNames).toEqual({ '#a': 'a', '#carepathLastChange': 'lastChange' });
    expect(sent[2]!.UpdateExpression).toBe('SET #carepathLastChange = :carepathLastChange ADD version :one');
    expect(sent[3]!.TransactItems[0].Put.Item.lastChange.M.role).toEqual({ S: 'integration-client' });
    expect(sent[3]!.TransactItems[1].ConditionCheck).toBeDefined();
    const changeIds = [sent[0]!.Item.lastChange.M.changeId.S, sent[1]!.ExpressionAttributeValues[':carepathLastChange'].M.changeId.S];
    expect(new Set(changeIds).size).toBe(2);
  });

  it('leaves writes outside an actor untouched', async () => {
    const { client, sent } = capturingClient();
    await client.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'a' } } }));
    expect(sent[0]!.Item).toEqual({ pk: { S: 'a' } });
  });
});
