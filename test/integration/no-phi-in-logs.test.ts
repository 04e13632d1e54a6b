import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { adt, firstEncounterOfMrn, msa } from '../fixtures/adt';
import { api, localStack, sendAdt } from '../support/clients';

/**
 * Every PHI field of the slice carries a marker no code would ever print by chance; the whole
 * slice runs (JSON API, the ADT feed, refusals of bad input, the workflow's first steps, the
 * stream consumers); then everything the functions logged, at INFO, is searched for the markers.
 */
const tag = randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase();
const MARKERS = {
  family: `Zqfam${tag}`,
  given: `Zqgiv${tag}`,
  mrn: `ZQMRN${tag}`,
  adtMrn: `ZQADT${tag}`,
  birthDate: '1931-07-19',
  birthDateHl7: '19310719',
  note: `Zqnote${tag}`,
  message: `Zqmsg${tag}`,
  complaint: `Zqcomplaint${tag}`,
  contact: `Zqcontact${tag}`,
};

async function logsContaining(text: string, limit = 5): Promise<{ lines: number; matches: number; sample: string[] }> {
  const response = await fetch(`${localStack().stepFunctionsUrl}/_local/logs?contains=${encodeURIComponent(text)}&limit=${limit}`);
  return (await response.json()) as { lines: number; matches: number; sample: string[] };
}

describe('logs', () => {
  it('never hold a name, birth date, identifier or free text, whatever the slice does', async () => {
    const patient = {
      identifier: { system: 'urn:example:mrn', value: MARKERS.mrn },
      name: { family: MARKERS.family, given: [MARKERS.given] },
      birthDate: MARKERS.birthDate,
      sex: 'female',
    };
    const admitted = await api('POST', '/v1/encounters', syntheticAdmission({ patient }));
    expect(admitted.status).toBe(201);
    const { encounterId } = admitted.body;
    // Refusals echo nothing of what they refuse into the logs either.
    expect(
      (await api('POST', '/v1/encounters', syntheticAdmission({ patient: { ...patient, birthDate: `${MARKERS.note}-not-a-date` } })))
        .status,
    ).toBe(400);
    expect((await api('POST', '/v1/encounters', `{"patient": {"name": "${MARKERS.family}"`)).status).toBe(400);

    const hl7Name = { family: MARKERS.family, given: MARKERS.given, birthDate: MARKERS.birthDateHl7 };
    expect(msa((await sendAdt(adt({ event: 'A01', mrn: MARKERS.adtMrn, visit: `V${tag}`, ...hl7Name }))).ack).code).toBe('AA');
    expect(
      msa((await sendAdt(adt({ event: 'A08', mrn: MARKERS.adtMrn, visit: `V${tag}`, ...hl7Name, at: '202611200900' }))).ack).code,
    ).toBe('AA');
    expect(msa((await sendAdt(adt({ event: 'A01', mrn: MARKERS.adtMrn, ...hl7Name, version: '9.9' }))).ack).code).not.toBe('AA');
    expect((await sendAdt(`MSH|^~\\&|${MARKERS.family}|broken\rPID|1||${MARKERS.adtMrn}\r`)).status).toBeLessThan(500);
    const adtEncounter = await firstEncounterOfMrn(MARKERS.adtMrn);

    expect(
      (await api('POST', `/v1/encounters/${encounterId}/care-team/messages`, { body: MARKERS.message, author: MARKERS.given })).status,
    ).toBe(201);
    const grievance = await api('POST', `/v1/encounters/${encounterId}/grievances`, {
      channel: 'phone',
      category: 'communication',
      severity: 'low',
      raisedBy: 'family',
      description: MARKERS.complaint,
      namedContact: MARKERS.contact,
    });
    expect(grievance.status).toBe(201);
    // The assessment is its own record, which only people write: none yet ("0"), whatever the workflow does to the stay meanwhile.
    expect((await api('GET', `/v1/encounters/${adtEncounter}/needs-assessment`)).status).toBe(404);
    const assessed = await api(
      'PUT',
      `/v1/encounters/${adtEncounter}/needs-assessment`,
      { domains: { functional: { findings: ['fall-risk'], notes: MARKERS.note } }, assessedBy: MARKERS.given },
      { 'if-match': '"0"' },
    );
    expect(assessed.status).toBe(200);

    // Positive control: the functions' own lines for this stay have arrived (so the search looks
    // at real output, after the workflow and the stream consumers ran).
    await expect.poll(async () => (await logsContaining(encounterId)).matches, { timeout: 30_000, interval: 500 }).toBeGreaterThan(0);
    await expect.poll(async () => (await logsContaining(adtEncounter)).matches, { timeout: 30_000, interval: 500 }).toBeGreaterThan(0);
    const found = Object.fromEntries(
      await Promise.all(Object.entries(MARKERS).map(async ([field, marker]) => [field, (await logsContaining(marker)).sample])),
    );
    expect(found).toEqual(Object.fromEntries(Object.keys(MARKERS).map((field) => [field, []])));
    expect((await logsContaining('')).lines).toBeGreaterThan(0);
  });

  it('carry business metrics in embedded metric format, with codes as dimensions, and correlation ids', async () => {
    const mrn = `MRN${randomUUID().slice(0, 8)}`;
    expect(msa((await sendAdt(adt({ event: 'A01', mrn, visit: `V${randomUUID().slice(0, 8)}` }))).ack).code).toBe('AA');
    const encounterId = await firstEncounterOfMrn(mrn);
    await expect.poll(async () => (await logsContaining('"AdtMessages"')).matches, { timeout: 20_000, interval: 500 }).toBeGreaterThan(0);
    // Other test files send ADT too (AE, A03, …): look through every metric line for an accepted A01.
    const adtLine = JSON.parse(
      (await logsContaining('"AdtMessages"', 100_000)).sample.find((line) => line.includes('"A01"') && line.includes('"AA"'))!,
    );
    expect(adtLine).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Carepath', Dimensions: [expect.arrayContaining(['messageType', 'ackCode'])] }] },
      messageType: 'A01',
      ackCode: 'AA',
      AdtMessages: 1,
    });
    await expect
      .poll(async () => (await logsContaining('"WorkflowsStarted"')).matches, { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(0);
    // A workflow step's lines name the execution, the state and the encounter.
    await expect
      .poll(
        async () =>
          (await logsContaining(`"execution":"discharge-planning-${encounterId}-1"`)).sample.some((line) =>
            line.includes(`"encounterId":"${encounterId}"`),
          ),
        {
          timeout: 20_000,
          interval: 500,
        },
      )
      .toBe(true);
  });
});
