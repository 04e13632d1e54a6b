import { afterAll, describe, expect, it } from 'vitest';
import { receiveAdt, type AdtDeps } from '../../shared/care/adt/receive-adt';
import { newId } from '../../shared/ids';
import { encounterStore } from '../../shared/store/encounter-store';
import { adtStore } from '../../shared/store/adt-store';
import { patientStore } from '../../shared/store/patient-store';
import { adt, msa, uniq } from '../fixtures/adt';
import { localDynamo, localStack, sendAdt } from '../support/clients';

/**
 * A misrouted feed (issue 16 item 14): each facility accepts ADT only from its configured MSH-4
 * sending facilities (dev stage: F1 takes GENHOSP and FUZZHOSP, F2 only GENHOSP) and addressed to
 * itself in MSH-6. Anything else is AR with the reason, stored, and never applied.
 */
const dynamo = localDynamo();
afterAll(() => dynamo.destroy());
const adtDb = () => adtStore(dynamo, localStack().tableName);
const patientIn = (facility: string, mrn: string) =>
  patientStore(dynamo, localStack().tableName).findByIdentifiers(facility, [{ system: 'urn:hl7v2:authority:GENHOSP', value: mrn }]);

async function send(message: string, as: 'F1' | 'F2' = 'F1') {
  const response = await sendAdt(message, { as });
  expect(response.status).toBe(200);
  return { ...msa(response.ack), ack: response.ack };
}

describe('ADT feed: sending and receiving facility are checked (issue 16 item 14)', () => {
  it('an A01 from a sending facility F1 does not list is AR naming MSH-4; nothing applied, the message kept, a repeat answered the same', async () => {
    const [mrn, visit, controlId] = [uniq('MRN'), uniq('V'), uniq('MSG')];
    const message = adt({
      event: 'A01',
      mrn,
      visit,
      controlId,
      sendingFacility: 'STLUKES',
      at: '202611240900',
      admittedAt: '202611240900',
    });
    const first = await send(message);
    expect(first.code, first.ack).toBe('AR');
    expect(first.text).toMatch(/MSH-4 sending facility "STLUKES" is not one this client may send for/);
    expect(first.ack).toMatch(/(?:^|\r)ERR\|[^\r]*MSH\^1\^4/);
    expect(await patientIn('F1', mrn)).toBeUndefined();
    expect(await adtDb().findEncounterIdByVisit('F1', visit)).toBeUndefined();
    const stored = await adtDb().get({ facilityId: 'F1', sendingFacility: 'STLUKES', controlId });
    expect(stored).toMatchObject({ status: 'rejected', ackCode: 'AR', raw: message });
    expect((await send(message)).code).toBe('AR');
  });

  it('the list is per facility: FUZZHOSP is accepted by F1 and AR for F2', async () => {
    const mrn = uniq('MRN');
    expect((await send(adt({ event: 'A28', mrn, sendingFacility: 'FUZZHOSP' }))).code).toBe('AA');
    const atF2 = await send(adt({ event: 'A28', mrn, sendingFacility: 'FUZZHOSP', receivingFacility: 'F2' }), 'F2');
    expect(atF2).toMatchObject({ code: 'AR', text: expect.stringMatching(/"FUZZHOSP" .* \(GENHOSP\)/) });
    expect(await patientIn('F2', mrn)).toBeUndefined();
  });

  it('MSH-4 is matched on its namespace id: GENHOSP^2.16.840.1.113883.3.999^ISO is GENHOSP', async () => {
    const mrn = uniq('MRN');
    expect((await send(adt({ event: 'A28', mrn, sendingFacility: 'GENHOSP^2.16.840.1.113883.3.999^ISO' }))).code).toBe('AA');
  });

  it('an A04 addressed to another facility in MSH-6 is AR naming MSH-6; nothing applied, the message kept', async () => {
    const [mrn, visit, controlId] = [uniq('MRN'), uniq('V'), uniq('MSG')];
    const message = adt({ event: 'A04', mrn, visit, controlId, patientClass: 'O', receivingFacility: 'F3' });
    const reply = await send(message, 'F1');
    expect(reply.code, reply.ack).toBe('AR');
    expect(reply.text).toMatch(/MSH-6 receiving facility "F3" is not this client's facility \(F1\)/);
    expect(reply.ack).toMatch(/(?:^|\r)ERR\|[^\r]*MSH\^1\^6/);
    expect(await patientIn('F1', mrn)).toBeUndefined();
    expect(await patientIn('F3', mrn)).toBeUndefined();
    expect(await adtDb().findEncounterIdByVisit('F1', visit)).toBeUndefined();
    expect(await adtDb().get({ facilityId: 'F1', sendingFacility: 'GENHOSP', controlId })).toMatchObject({
      status: 'rejected',
      ackCode: 'AR',
      raw: message,
    });
  });

  it('an empty MSH-6 (optional in HL7) is accepted from a listed sender', async () => {
    expect((await send(adt({ event: 'A28', mrn: uniq('MRN'), receivingFacility: '' }))).code).toBe('AA');
  });

  it('AR means "resend later unchanged": once the facility lists the sender, the same message resent is applied, and only then answered as a duplicate', async () => {
    // The service on DynamoDB Local with the list passed in, as the handler passes the stage's:
    // the list a deploy fixes is the only thing that changes between the two sends.
    const table = localStack().tableName;
    const deps = (sendingFacilities: string[]): AdtDeps => ({
      adt: adtDb(),
      patients: patientStore(dynamo, table),
      encounters: encounterStore(dynamo, table),
      tableName: table,
      now: () => new Date(),
      newId,
      sendingFacilities,
    });
    const caller = { clientId: 'test-ehr-f1', facilityId: 'F1', roles: ['integration-client' as const] };
    const [mrn, controlId] = [uniq('MRN'), uniq('MSG')];
    const message = adt({ event: 'A28', mrn, controlId, sendingFacility: 'MERCYWEST' });
    const before = await receiveAdt(message, caller, deps(['GENHOSP']));
    expect(before.code, before.ack).toBe('AR');
    expect(await patientIn('F1', mrn)).toBeUndefined();

    const after = await receiveAdt(message, caller, deps(['GENHOSP', 'MERCYWEST']));
    expect(after.code, after.ack).toBe('AA');
    expect(await patientIn('F1', mrn)).toBeDefined();
    const stored = await adtDb().get({ facilityId: 'F1', sendingFacility: 'MERCYWEST', controlId });
    expect(stored).toMatchObject({
      status: 'processed',
      ackCode: 'AA',
      refusedBefore: expect.stringMatching(/MSH-4 sending facility "MERCYWEST"/),
    });

    const again = await receiveAdt(message, caller, deps(['GENHOSP', 'MERCYWEST']));
    expect(msa(again.ack).text).toMatch(/^duplicate of a message already received/);
    // An AE is the sender's to fix: the same message resent is not judged again.
  });
});
