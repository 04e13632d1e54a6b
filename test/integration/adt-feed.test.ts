import { afterAll, describe, expect, it } from 'vitest';
import { adtStore } from '../../shared/store/adt-store';
import { patientStore } from '../../shared/store/patient-store';
import { adt, msa, uniq } from '../fixtures/adt';
import { api, localDynamo, localStack, sendAdt } from '../support/clients';

/**
 * The ADT corpus: synthetic messages through POST /v1/adt on the local stack, each with the ACK
 * it must get and the state it must leave. Every event Carepath handles, repeats, out-of-order
 * pairs, cancels, a merge, and bad messages.
 */
const dynamo = localDynamo();
afterAll(() => dynamo.destroy());
const adtDb = () => adtStore(dynamo, localStack().tableName);
const patients = () => patientStore(dynamo, localStack().tableName);
const poll = { timeout: 15_000, interval: 100 };

async function expectAck(message: string, code: 'AA' | 'AE' | 'AR', textPattern?: RegExp) {
  const response = await sendAdt(message);
  expect(response.status).toBe(200);
  const result = msa(response.ack);
  expect(result, response.ack).toMatchObject({ code });
  if (textPattern) expect(result.text).toMatch(textPattern);
  return result;
}

async function encounterOfVisit(visit: string, facility = 'F1') {
  const id = await adtDb().findEncounterIdByVisit(facility, visit);
  expect(id, `encounter for visit ${visit}`).toBeDefined();
  return (await api('GET', `/v1/encounters/${id}`)).body;
}

const patientOf = (mrn: string) => patients().findByIdentifiers('F1', [{ system: 'urn:hl7v2:authority:GENHOSP', value: mrn }]);

async function openTaskTypes(encounterId: string) {
  return (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.map((t: { type: string }) => t.type).sort();
}

describe('ADT feed: an inpatient stay from admission to cancelled discharge', () => {
  const mrn = uniq('MRN');
  const visit = uniq('V');

  it('A01 admits, starts discharge planning; the same message again is stored once, ACKed AA both times', async () => {
    const message = adt({ event: 'A01', mrn, visit, at: '202611200800', family: 'Testpatient', given: 'Ada' });
    const first = await expectAck(message, 'AA', /A01 processed: encounter created/);
    const again = await expectAck(message, 'AA', /duplicate/);
    expect(again.controlId).toBe(first.controlId);
    const encounter = await encounterOfVisit(visit);
    expect(encounter).toMatchObject({ class: 'inpatient', visitNumber: visit, location: { pointOfCare: '4W', room: '401', bed: 'A' } });
    expect(encounter.status).toMatch(/^(admitted|assessment-pending)$/);
    await expect.poll(() => openTaskTypes(encounter.encounterId), poll).toEqual(['needs-assessment']);
    expect((await patientOf(mrn))?.name).toEqual({ family: 'Testpatient', given: ['Ada'] });
  });

  it('A02 transfers and A12 cancels the transfer', async () => {
    await expectAck(
      adt({ event: 'A02', mrn, visit, at: '202611201000', location: '5E^510^B^GENHOSP', priorLocation: '4W^401^A^GENHOSP' }),
      'AA',
      /location/,
    );
    expect(await encounterOfVisit(visit)).toMatchObject({
      location: { pointOfCare: '5E', room: '510' },
      priorLocation: { pointOfCare: '4W' },
      unit: '5E',
    });
    await expectAck(
      adt({ event: 'A12', mrn, visit, at: '202611201030', location: '4W^401^A^GENHOSP', priorLocation: '5E^510^B^GENHOSP' }),
      'AA',
    );
    const restored = await encounterOfVisit(visit);
    expect(restored.location).toMatchObject({ pointOfCare: '4W', room: '401' });
    expect(restored.priorLocation).toBeUndefined();
  });

  it('A08 updates the patient; an older A08 arriving late changes nothing but is kept', async () => {
    await expectAck(adt({ event: 'A08', mrn, visit, at: '202611201100', family: 'Testpatient-Newname', given: 'Ada' }), 'AA');
    await expectAck(
      adt({ event: 'A08', mrn, visit, at: '202611200900', family: 'Oldname', given: 'Ada', location: '3N^301^A^GENHOSP' }),
      'AA',
    );
    expect((await patientOf(mrn))?.name?.family).toBe('Testpatient-Newname');
    expect((await encounterOfVisit(visit)).location.pointOfCare).toBe('4W');
  });

  it('A16 records the expected discharge and A25 withdraws it', async () => {
    await expectAck(adt({ event: 'A16', mrn, visit, at: '202611210900', expectedDischarge: '202611221400' }), 'AA');
    expect((await encounterOfVisit(visit)).pendingDischarge).toEqual({ expectedAt: '2026-11-22T14:00:00.000Z' });
    await expectAck(adt({ event: 'A25', mrn, visit, at: '202611210930' }), 'AA');
    expect((await encounterOfVisit(visit)).pendingDischarge).toBeUndefined();
  });

  it('A21 and A22: leave of absence and return', async () => {
    await expectAck(adt({ event: 'A21', mrn, visit, at: '202611211000' }), 'AA');
    expect((await encounterOfVisit(visit)).onLeave).toBe(true);
    await expectAck(adt({ event: 'A22', mrn, visit, at: '202611211200' }), 'AA');
    expect((await encounterOfVisit(visit)).onLeave).toBe(false);
  });

  it('A03 discharges with the mapped disposition and time; the waiting workflow records it and schedules follow-up', async () => {
    await expectAck(adt({ event: 'A03', mrn, visit, at: '202611221400', disposition: '03', dischargedAt: '202611221400' }), 'AA');
    const discharged = await encounterOfVisit(visit);
    expect(discharged).toMatchObject({
      status: 'discharged',
      discharge: { disposition: 'skilled-nursing', dispositionCode: '03', dischargedAt: '2026-11-22T14:00:00.000Z', source: 'adt' },
    });
    await expect.poll(async () => (await encounterOfVisit(visit)).workflow?.status, poll).toBe('SUCCEEDED');
    await expect
      .poll(() => openTaskTypes(discharged.encounterId), poll)
      .toEqual(expect.arrayContaining(['follow-up-contact', 'follow-up-visit']));
  });

  it('A13 cancels the discharge: the follow-up is cancelled and planning reopens (from the assessment: there was no plan yet)', async () => {
    await expectAck(adt({ event: 'A13', mrn, visit, at: '202611221500' }), 'AA', /discharge/);
    const reopened = await encounterOfVisit(visit);
    expect(reopened.status).toBe('assessment-pending');
    expect(reopened.discharge).toBeUndefined();
    await expect.poll(() => openTaskTypes(reopened.encounterId), poll).toEqual(['needs-assessment']);
    await expect
      .poll(async () => (await encounterOfVisit(visit)).workflow?.executionArn, poll)
      .toMatch(/:discharge-planning-[0-9a-f-]{36}-2$/);
  });
});

describe('ADT feed: cancels and order', () => {
  it('A11 cancels an admission: workflow stopped, tasks cancelled', async () => {
    const mrn = uniq('MRN');
    const visit = uniq('V');
    await expectAck(adt({ event: 'A01', mrn, visit, at: '202611200800' }), 'AA');
    const admitted = await encounterOfVisit(visit);
    await expect.poll(() => openTaskTypes(admitted.encounterId), poll).toEqual(['needs-assessment']);
    await expectAck(adt({ event: 'A11', mrn, visit, at: '202611200900' }), 'AA');
    expect((await encounterOfVisit(visit)).status).toBe('cancelled');
    await expect.poll(async () => (await encounterOfVisit(visit)).workflow?.status, poll).toBe('ABORTED');
    await expect.poll(() => openTaskTypes(admitted.encounterId), poll).toEqual([]);
  });

  it('a late, older transfer does not move the patient back', async () => {
    const mrn = uniq('MRN');
    const visit = uniq('V');
    await expectAck(adt({ event: 'A01', mrn, visit, patientClass: 'E', at: '202611200800' }), 'AA');
    await expectAck(adt({ event: 'A02', mrn, visit, patientClass: 'E', at: '202611201100', location: '6S^601^A^GENHOSP' }), 'AA');
    await expectAck(
      adt({ event: 'A02', mrn, visit, patientClass: 'E', at: '202611201000', location: '2W^201^A^GENHOSP' }),
      'AA',
      /recorded in history only/,
    );
    expect((await encounterOfVisit(visit)).location.pointOfCare).toBe('6S');
  });

  it('an A13 newer than a late A03 keeps the patient in hospital', async () => {
    const mrn = uniq('MRN');
    const visit = uniq('V');
    await expectAck(adt({ event: 'A04', mrn, visit, patientClass: 'O', at: '202611200800' }), 'AA');
    await expectAck(adt({ event: 'A13', mrn, visit, patientClass: 'O', at: '202611201200' }), 'AA', /no discharge to cancel/);
    await expectAck(adt({ event: 'A03', mrn, visit, patientClass: 'O', at: '202611201100', disposition: '01' }), 'AA', /history only/);
    expect((await encounterOfVisit(visit)).status).not.toBe('discharged');
  });

  it('a cancel that arrives before what it cancels wins: A11 (09:00) then a late A01 (08:00)', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    await expectAck(adt({ event: 'A11', mrn, visit, at: '202611200900' }), 'AA', /encounter created/);
    await expectAck(adt({ event: 'A01', mrn, visit, at: '202611200800' }), 'AA');
    const encounter = await encounterOfVisit(visit);
    expect(encounter).toMatchObject({ status: 'cancelled', workflow: null });
    expect(await openTaskTypes(encounter.encounterId)).toEqual([]);
  });

  it('A01 at once followed by A11: the workflow is stopped even before it linked itself', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    await expectAck(adt({ event: 'A01', mrn, visit, at: '202611200800' }), 'AA');
    await expectAck(adt({ event: 'A11', mrn, visit, at: '202611200805' }), 'AA');
    const encounter = await encounterOfVisit(visit);
    await expect.poll(async () => (await encounterOfVisit(visit)).workflow?.status ?? 'none', poll).toMatch(/ABORTED|none/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await openTaskTypes(encounter.encounterId)).toEqual([]);
    expect((await encounterOfVisit(visit)).status).toBe('cancelled');
  });

  it('A03 at once followed by A13: no discharge is invented, the follow-up is not left open', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    await expectAck(adt({ event: 'A01', mrn, visit, at: '202611200800' }), 'AA');
    const { encounterId } = await encounterOfVisit(visit);
    await expect.poll(() => openTaskTypes(encounterId), poll).toEqual(['needs-assessment']);
    await expectAck(adt({ event: 'A03', mrn, visit, at: '202611221400', disposition: '01' }), 'AA');
    await expectAck(adt({ event: 'A13', mrn, visit, at: '202611221401' }), 'AA');
    await expect
      .poll(async () => (await encounterOfVisit(visit)).workflow?.executionArn ?? '', poll)
      .toMatch(/:discharge-planning-[0-9a-f-]{36}-2$/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await encounterOfVisit(visit);
    expect(after.discharge).toBeUndefined();
    expect(after.status).not.toBe('discharged');
    expect(await openTaskTypes(encounterId)).not.toContain('follow-up-contact');
    expect(await openTaskTypes(encounterId)).not.toContain('follow-up-visit');
  });

  it('a visit of another patient than PID-3 names is AE', async () => {
    const visit = uniq('V');
    await expectAck(adt({ event: 'A01', mrn: uniq('MRN'), visit, patientClass: 'O' }), 'AA');
    await expectAck(adt({ event: 'A08', mrn: uniq('MRN'), visit, patientClass: 'O' }), 'AE', /belongs to another patient/);
  });

  it('messages about one new patient at the same time all get AA and make one patient', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const mrn = uniq('MRN');
      const copy = adt({ event: 'A28', mrn });
      const answers = await Promise.all([
        sendAdt(adt({ event: 'A04', mrn, visit: uniq('V'), patientClass: 'O' })),
        sendAdt(adt({ event: 'A28', mrn })),
        sendAdt(copy),
        sendAdt(copy),
        sendAdt(copy),
      ]);
      expect(answers.map((a) => msa(a.ack).code)).toEqual(['AA', 'AA', 'AA', 'AA', 'AA']);
      expect((await patientOf(mrn))?.identifiers).toHaveLength(1);
    }
  });

  it('a resend with other line ends is the same message', async () => {
    const message = adt({ event: 'A28', mrn: uniq('MRN') });
    await expectAck(message, 'AA');
    await expectAck(message.replace(/\r/g, '\r\n'), 'AA', /duplicate/);
  });
});

describe('ADT feed: class changes, pre-admission, people and merges', () => {
  it('A04 registers an ED visit without planning; A06 makes it inpatient and planning starts; A07 makes it outpatient', async () => {
    const mrn = uniq('MRN');
    const visit = uniq('V');
    await expectAck(adt({ event: 'A04', mrn, visit, patientClass: 'E', at: '202611200800' }), 'AA');
    const ed = await encounterOfVisit(visit);
    expect(ed).toMatchObject({ class: 'emergency', workflow: null });
    await expectAck(adt({ event: 'A06', mrn, visit, patientClass: 'I', at: '202611200900' }), 'AA', /class/);
    await expect.poll(() => openTaskTypes(ed.encounterId), poll).toEqual(['needs-assessment']);
    expect((await encounterOfVisit(visit)).class).toBe('inpatient');
    await expectAck(adt({ event: 'A07', mrn, visit, patientClass: 'O', at: '202611201000' }), 'AA');
    expect((await encounterOfVisit(visit)).class).toBe('outpatient');
  });

  it('A05 pre-admits', async () => {
    const visit = uniq('V');
    await expectAck(adt({ event: 'A05', mrn: uniq('MRN'), visit, patientClass: 'P', admissionType: 'R' }), 'AA');
    expect(await encounterOfVisit(visit)).toMatchObject({ class: 'preadmission', admissionType: 'elective', workflow: null });
  });

  it('A28 adds a person and A31 updates them, without any visit', async () => {
    const mrn = uniq('MRN');
    await expectAck(adt({ event: 'A28', mrn, family: 'Personadd', at: '202611200800' }), 'AA', /patient record/);
    await expectAck(adt({ event: 'A31', mrn, family: 'Personupdate', sex: 'M', at: '202611200900' }), 'AA');
    expect(await patientOf(mrn)).toMatchObject({ name: { family: 'Personupdate' }, sex: 'male', birthDate: '1950-02-03' });
  });

  it('A40 merges: the survivor keeps both identifier sets and all encounters', async () => {
    const [mrnA, mrnB, visitA, visitB] = [uniq('MRN'), uniq('MRN'), uniq('V'), uniq('V')];
    await expectAck(adt({ event: 'A01', mrn: mrnA, visit: visitA, patientClass: 'O' }), 'AA');
    await expectAck(adt({ event: 'A01', mrn: mrnB, visit: visitB, patientClass: 'O' }), 'AA');
    const merged = (await patientOf(mrnA))!;
    await expectAck(adt({ event: 'A40', mrn: mrnB, mergedMrn: mrnA, at: '202611201200' }), 'AA', /merged a patient record and 1 encounter/);
    const survivor = (await patientOf(mrnB))!;
    expect(survivor.identifiers.map((i) => i.value).sort()).toEqual([mrnA, mrnB].sort());
    expect((await patientOf(mrnA))?.patientId).toBe(survivor.patientId);
    expect((await encounterOfVisit(visitA)).patientId).toBe(survivor.patientId);
    expect((await patients().get(merged.patientId))?.mergedInto).toBe(survivor.patientId);
    // A message naming the merged MRN lands on the survivor.
    await expectAck(adt({ event: 'A08', mrn: mrnA, visit: visitA, patientClass: 'O', at: '202611201300' }), 'AA');
    expect((await encounterOfVisit(visitA)).patientId).toBe(survivor.patientId);
  });
});

describe('ADT feed: what does not fit', () => {
  const bad: Array<[string, string, 'AE' | 'AR', RegExp]> = [
    ['no MSH', 'PID|1||MRN-1^^^GENHOSP^MR\r', 'AR', /MSH/],
    ['garbage', '\u0000\u0001\u0002 not hl7 at all', 'AR', /MSH/],
    ['an unsupported version', adt({ event: 'A01', mrn: uniq('MRN'), visit: uniq('V'), version: '2.2' }), 'AR', /version "2.2"/],
    ['another message type', adt({ event: 'R01', mrn: uniq('MRN'), visit: uniq('V'), messageType: 'ORU' }), 'AR', /message type "ORU"/],
    ['no PID-3', adt({ event: 'A01', mrn: uniq('MRN'), visit: uniq('V') }).replace(/PID\|1\|\|[^|]*\|/, 'PID|1|||'), 'AE', /PID-3/],
    ['no visit number', adt({ event: 'A01', mrn: uniq('MRN') }), 'AE', /PV1-19/],
    [
      'a discharge time that is no time',
      adt({ event: 'A03', mrn: uniq('MRN'), visit: uniq('V'), dischargedAt: '2026-11-22' }),
      'AE',
      /PV1-45/,
    ],
    ['no MSH-10', adt({ event: 'A01', mrn: uniq('MRN'), visit: uniq('V'), controlId: '' }), 'AR', /MSH-10/],
  ];
  it.each(bad)('%s is refused with %s and the reason', async (_name, message, code, reason) => {
    await expectAck(message, code, reason);
    // Refused messages are kept too, and a repeat gets the same answer.
    await expectAck(message, code, reason);
  });

  it('an ADT event Carepath does not act on (A14) is stored and acknowledged with a note', async () => {
    await expectAck(adt({ event: 'A14', mrn: uniq('MRN'), visit: uniq('V') }), 'AA', /does not act on it/);
  });

  it('the same MSH-10 for a different message is AE', async () => {
    const controlId = uniq('MSG');
    await expectAck(adt({ event: 'A28', mrn: uniq('MRN'), controlId }), 'AA');
    await expectAck(adt({ event: 'A28', mrn: uniq('MRN'), controlId }), 'AE', /already used/);
  });

  it('answers in the content type it was sent: x-application/hl7-v2+er7 with LF (2.3), text/plain with CRLF (2.8)', async () => {
    const er7 = await sendAdt(adt({ event: 'A28', mrn: uniq('MRN'), version: '2.3', segmentEnd: '\n' }), {
      contentType: 'x-application/hl7-v2+er7',
    });
    expect(er7).toMatchObject({ status: 200, contentType: 'x-application/hl7-v2+er7' });
    expect(msa(er7.ack).code).toBe('AA');
    expect(er7.ack.split('\r')[0]).toMatch(/^MSH\|\^~\\&\|CAREPATH\|F1\|EPIC\|GENHOSP\|\d{14}\+0000\|\|ACK\^A28\^ACK\|\w+\|P\|2\.3$/);
    const plain = await sendAdt(adt({ event: 'A28', mrn: uniq('MRN'), version: '2.8', segmentEnd: '\r\n' }), {
      contentType: 'text/plain; charset=utf-8',
    });
    expect(plain).toMatchObject({ status: 200, contentType: 'text/plain' });
    expect(msa(plain.ack).code).toBe('AA');
  });

  it('decodes escape sequences in names', async () => {
    const mrn = uniq('MRN');
    await expectAck(adt({ event: 'A28', mrn, family: 'O\\T\\Brien\\F\\Smith' }), 'AA');
    expect((await patientOf(mrn))?.name?.family).toBe('O&Brien|Smith');
  });

  it('an ERR segment in the 2.3/2.4 layout puts the code in ERR-1 component 4', async () => {
    const response = await sendAdt(adt({ event: 'A01', mrn: uniq('MRN'), version: '2.4' }));
    const err = response.ack.split('\r').find((l) => l.startsWith('ERR|'));
    expect(err).toMatch(/^ERR\|PV1\^1\^19\^101&PV1-19 \(visit number\) or PID-18 \(account number\) is required&HL70357$/);
  });

  it('an ERR segment says what was wrong, in the 2.5 layout', async () => {
    const response = await sendAdt(adt({ event: 'A01', mrn: uniq('MRN') }));
    const err = response.ack.split('\r').find((l) => l.startsWith('ERR|'));
    expect(err).toMatch(/^ERR\|\|PV1\^1\^19\|101\^PV1-19 \(visit number\) or PID-18 \(account number\) is required\^HL70357\|E/);
  });

  it('refuses another content type (415) and calls without a token (401)', async () => {
    expect((await sendAdt(adt({ event: 'A28', mrn: uniq('MRN') }), { contentType: 'application/json' })).status).toBe(415);
    expect((await sendAdt(adt({ event: 'A28', mrn: uniq('MRN') }), { as: null })).status).toBe(401);
  });

  it('keeps facilities apart: the same control id from another facility is another message', async () => {
    const controlId = uniq('MSG');
    const mrn = uniq('MRN');
    await expectAck(adt({ event: 'A28', mrn, controlId }), 'AA');
    const other = await sendAdt(adt({ event: 'A28', mrn, controlId, receivingFacility: 'F2' }), { as: 'F2' });
    expect(msa(other.ack)).toMatchObject({ code: 'AA', text: expect.not.stringMatching(/duplicate/) });
    expect(await patients().findByIdentifiers('F2', [{ system: 'urn:hl7v2:authority:GENHOSP', value: mrn }])).toBeDefined();
  });
});

/** An HL7 time (YYYYMMDDHHMM, UTC) this many hours from now: these rows are about the real clock. */
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 12);

describe('ADT feed: event times are bounded as the JSON API bounds them (issue 16 item 11)', () => {
  it('an A01 dated 2 days ahead is AE naming EVN-2; nothing applied, the message kept, a repeat answered the same', async () => {
    const [mrn, visit, controlId] = [uniq('MRN'), uniq('V'), uniq('MSG')];
    const message = adt({ event: 'A01', mrn, visit, controlId, at: hoursFromNow(48), admittedAt: hoursFromNow(-1) });
    await expectAck(message, 'AE', /EVN-2 .* in the future; nothing applied/);
    await expectAck(message, 'AE', /EVN-2 .* in the future/);
    expect(await adtDb().findEncounterIdByVisit('F1', visit)).toBeUndefined();
    expect(await patientOf(mrn)).toBeUndefined();
    expect(await adtDb().get({ facilityId: 'F1', sendingFacility: 'GENHOSP', controlId })).toMatchObject({
      status: 'rejected',
      ackCode: 'AE',
    });
  });

  it('an A08 with a future EVN changes nothing on the stay', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    await expectAck(adt({ event: 'A01', mrn, visit, at: hoursFromNow(-3), admittedAt: hoursFromNow(-3) }), 'AA');
    const response = await sendAdt(adt({ event: 'A08', mrn, visit, at: hoursFromNow(6), location: '9Z^901^A^GENHOSP' }));
    expect(msa(response.ack)).toMatchObject({ code: 'AE', text: expect.stringMatching(/EVN-2/) });
    expect(response.ack).toMatch(/ERR\|\|EVN\^1\^2\|207/);
    expect((await encounterOfVisit(visit)).location.pointOfCare).toBe('4W');
  });

  it('an A03 whose discharge time (PV1-45) is before the admission is AE; the stay stays open', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    await expectAck(adt({ event: 'A01', mrn, visit, at: '202611250800', admittedAt: '202611250800' }), 'AA');
    await expectAck(
      adt({ event: 'A03', mrn, visit, at: '202611260800', admittedAt: '', dischargedAt: '202611240800', disposition: '01' }),
      'AE',
      /PV1-45 .* before the admission/,
    );
    const encounter = await encounterOfVisit(visit);
    expect(encounter.discharge).toBeUndefined();
    expect(encounter.status).not.toBe('discharged');
  });

  it('an A03 with no PV1-45 whose event time is before the recorded admission is AE naming EVN-2', async () => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    await expectAck(adt({ event: 'A01', mrn, visit, at: '202611250800', admittedAt: '202611250800' }), 'AA');
    await expectAck(adt({ event: 'A03', mrn, visit, at: '202611241000', admittedAt: '' }), 'AE', /EVN-2 .* before the admission/);
    expect((await encounterOfVisit(visit)).discharge).toBeUndefined();
  });

  it.each([
    ['A04, PV1-2 O with PV1-18 OBS', 'A04', 'O', 'OBS'],
    ['A01, PV1-2 I with PV1-18 OBV', 'A01', 'I', 'OBV'],
    ['A01, PV1-2 site code OBS', 'A01', 'OBS', undefined],
  ])('observation arrives with the default mapping: %s', async (_name, event, patientClass, patientType) => {
    const [mrn, visit] = [uniq('MRN'), uniq('V')];
    await expectAck(adt({ event, mrn, visit, patientClass, ...(patientType ? { patientType } : {}) }), 'AA');
    expect((await encounterOfVisit(visit)).class).toBe('observation');
  });
});

describe('ADT feed: the audit API shows what each message did (issue 16 item 13)', () => {
  it('the patient trail has a line per applied message with control id and event, the late one "recorded in history only", no message text', async () => {
    const [mrn, visit, admitId, lateId] = [uniq('MRN'), uniq('V'), uniq('MSG'), uniq('MSG')];
    await expectAck(adt({ event: 'A01', mrn, visit, controlId: admitId, at: '202611200800', family: 'Auditpatient' }), 'AA');
    await expectAck(adt({ event: 'A08', mrn, visit, at: '202611201200', location: '5E^510^B^GENHOSP' }), 'AA');
    await expectAck(
      adt({ event: 'A08', mrn, visit, controlId: lateId, at: '202611200900', location: '3N^301^A^GENHOSP' }),
      'AA',
      /history only/,
    );
    const patientId = (await patientOf(mrn))!.patientId;
    const auditor = { facility: 'F1', role: 'auditor' } as const;
    const adtLines = async () =>
      (
        (await api('GET', `/v1/patients/${patientId}/audit?limit=200`, undefined, {}, auditor)).body.items as Array<{
          entity: { type: string };
          adt?: Record<string, unknown>;
        }>
      ).filter((line) => line.entity.type === 'AdtMessage');
    await expect.poll(async () => (await adtLines()).length, poll).toBe(3);
    const lines = await adtLines();
    expect(lines.find((l) => l.adt?.controlId === admitId)).toMatchObject({
      entity: { type: 'AdtMessage', id: admitId },
      adt: { event: 'A01', applied: expect.arrayContaining(['admission']) },
    });
    expect(lines.find((l) => l.adt?.controlId === lateId)).toMatchObject({
      adt: { event: 'A08', stale: ['location', 'details'], note: expect.stringContaining('recorded in history only') },
    });
    // Minimum necessary: ids and what happened, never the message or the patient's name.
    expect(JSON.stringify(lines)).not.toMatch(/Auditpatient|PID\||MSH\|/);
    // The route's access rules hold: an integration client is not an auditor.
    expect((await api('GET', `/v1/patients/${patientId}/audit`)).status).toBe(403);
  });
});
