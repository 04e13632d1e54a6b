import fc from 'fast-check';
import { API_ROUTES } from '../../infra/routes/all';
import { describe, expect, it } from 'vitest';
import { adt, uniq } from '../../local/synthetic-adt';
import { parseHl7, segment, value } from '../../shared/domain/hl7/message';
import { adtStore } from '../../shared/store/adt-store';
import { syntheticAdmission } from '../fixtures/admissions';
import { api, inBatches, localDynamo, localStack, type Who } from '../support/clients';

/**
 * Bad input, generated: at least 10,000 bodies and HL7 messages across the write endpoints of
 * the local API. Every answer is 2xx or 4xx (or an ACK with AA/AE/AR), never 5xx, and every
 * message acknowledged AA is stored. The seed is printed on failure: rerun with FUZZ_SEED=<seed>.
 */
const JSON_CASES = Number(process.env.FUZZ_JSON_CASES ?? 8_000);
const HL7_CASES = Number(process.env.FUZZ_HL7_CASES ?? 2_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const WRITES = API_ROUTES.filter((r) => r.method !== 'GET' && r.handler !== 'receive-adt');

/** Field names the schemas use, so generated objects get past "unknown shape" into the field checks. */
const FIELDS = [
  'status',
  'problems',
  'goals',
  'interventions',
  'description',
  'author',
  'patient',
  'identifier',
  'system',
  'value',
  'name',
  'family',
  'given',
  'birthDate',
  'sex',
  'facilityId',
  'unit',
  'class',
  'admissionType',
  'admittedAt',
  'outcome',
  'data',
  'notes',
  'priority',
  'dueDate',
  'code',
  'valueQuantity',
  'effectiveAt',
  'medications',
  'decision',
  'providerId',
  'providers',
  'services',
  'start',
  'end',
  'slots',
  'reason',
  'role',
  'memberId',
  'text',
  'answers',
  'scores',
  'contactedAt',
  'method',
  'visitAt',
  'orderType',
  'order',
  'disposition',
  'assessedAt',
  'needs',
  'choice',
  'transport',
  'arrivedAt',
  'careManagerId',
  'tier',
  'inputs',
  'item',
  'teachBack',
  'category',
  'severity',
  'ownerRole',
];
const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  // Text a record must refuse or compose: NUL, bidi overrides and isolates, lone surrogates, decomposed accents.
  fc.string({
    unit: fc.constantFrom('a', ' ', 'e\u0301', '\u00e9', '\u0000', '\u202A', '\u202E', '\u2066', '\u2069', '\uD800', '\uDC00'),
    maxLength: 20,
  }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'undefined',
    '<script>',
    "'; DROP TABLE x; --",
    '../../etc/passwd',
    '2026-11-24',
    '2026-11-24T10:00:00Z',
    '2026-02-30',
    'F2',
    'active',
    'completed',
    '"1"',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
);
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('node'), { maxLength: 4 }), tie('object')),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 12 })), tie('node'), { maxKeys: 6 }),
})).node;
/** Valid bodies of some routes, to mutate one field at a time: the handlers' deeper checks get exercised too. */
const VALID: Record<string, Record<string, unknown>> = {
  'PUT /v1/encounters/{id}/care-plan': { status: 'active', problems: [], author: 'CM' },
  'POST /v1/encounters/{id}/care-team/messages': { author: 'CM Synthetic', body: 'Family meeting at 3' },
  'POST /v1/encounters/{id}/observations': {
    code: '8867-4',
    value: 130,
    unit: '/min',
    observedAt: '2026-11-23T08:00:00Z',
    recordedBy: 'RN',
  },
  'PUT /v1/encounters/{id}/risk-inputs': {
    conditions: ['I50.9'],
    edVisitsPrior6Months: 1,
    admissionsPrior12Months: 0,
    oncologyService: false,
    procedureDuringStay: false,
  },
};
const nearlyValid = fc
  .tuple(
    fc.constantFrom(...Object.keys(VALID)),
    fc.constantFrom('keep', 'drop', 'replace', 'add'),
    fc.nat(),
    fc.oneof(scalar, fc.jsonValue()),
  )
  .map(([route, how, n, replacement]) => {
    const valid = { ...VALID[route]! };
    const key = Object.keys(valid)[n % Object.keys(valid).length]!;
    if (how === 'drop') delete valid[key];
    if (how === 'replace') valid[key] = replacement;
    if (how === 'add') valid[`x${n % 7}`] = replacement;
    return { route, valid };
  });
const body = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 8 }) },
  { weight: 2, arbitrary: fc.jsonValue() },
  // Not JSON at all.
  { weight: 1, arbitrary: fc.string().map((text) => ({ raw: `{${text}` })) },
);

const UNKNOWN_FIELD_CASES = Number(process.env.FUZZ_UNKNOWN_FIELD_CASES ?? 1_000);
/** Valid bodies with objects inside objects and arrays, for the unknown-field class. */
const WITH_NESTING = (encounterId: string, taskId: string): Array<{ method: string; path: string; body: Record<string, unknown> }> => [
  {
    method: 'POST',
    path: '/v1/patients',
    body: {
      identifiers: [{ system: 'urn:example:mrn', value: 'UF-1', type: 'MR' }],
      name: { family: 'Quist', given: ['Ada'] },
      birthDate: '1961-07-14',
      sex: 'female',
    },
  },
  { method: 'POST', path: '/v1/encounters', body: syntheticAdmission({ class: 'outpatient' }) },
  {
    method: 'PUT',
    path: `/v1/encounters/${encounterId}/care-plan`,
    body: {
      status: 'draft',
      problems: [
        {
          description: 'Heart failure',
          code: 'I50.9',
          goals: [{ description: 'Daily weights', target: 'Under 1 kg gain', status: 'active' }],
          interventions: [{ description: 'Teach diet', ownerRole: 'nurse', status: 'not-started' }],
        },
      ],
      thresholds: [{ code: '8867-4', unit: '/min', max: 120 }],
      author: 'CM Synthetic',
    },
  },
  {
    method: 'PUT',
    path: `/v1/encounters/${encounterId}/needs-assessment`,
    body: {
      domains: { functional: { findings: ['fall-risk'] }, caregiver: { findings: [], notes: 'Daughter nearby' } },
      assessedBy: 'SW Synthetic',
    },
  },
  {
    method: 'PUT',
    path: `/v1/encounters/${encounterId}/medication-reconciliation`,
    body: {
      medications: [
        {
          drug: 'Furosemide',
          decision: 'continued',
          home: { dose: '40 mg' },
          discharge: { dose: '40 mg', frequency: 'daily' },
          reason: 'Fluid balance',
        },
      ],
      reconciledBy: 'PharmD Synthetic',
    },
  },
  {
    method: 'POST',
    path: `/v1/encounters/${encounterId}/orders`,
    body: {
      placerOrderNumber: 'ORD-UF-1',
      code: { system: 'http://loinc.org', code: '2160-0' },
      orderingPractitioner: { id: 'npi-1', name: 'Dr Synthetic' },
    },
  },
  {
    method: 'POST',
    path: `/v1/encounters/${encounterId}/care-team/messages`,
    body: { author: 'CM Synthetic', body: 'Family meeting at 3' },
  },
  {
    method: 'POST',
    path: `/v1/tasks/${taskId}/complete`,
    body: { outcome: 'completed', data: { needs: ['meals'], notes: 'Lives alone' } },
  },
];
/** Keys no schema has: a known field with a typo'd ending, or one made up. */
const unknownKey = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('d', 'X', '_', '2', 'Typo')).map(([field, typo]) => field + typo),
  fc.stringMatching(/^zz[A-Za-z0-9]{1,12}$/),
);
/** Every object in a JSON value (itself included), with its path as the API names fields. */
function objectsIn(value: unknown, at: string[] = []): Array<[Record<string, unknown>, string[]]> {
  if (Array.isArray(value)) return value.flatMap((item, index) => objectsIn(item, [...at, String(index)]));
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Record<string, unknown>;
  return [[object, at], ...Object.entries(object).flatMap(([key, child]) => objectsIn(child, [...at, key]))];
}

describe('generated bad input', () => {
  it(`answers ${JSON_CASES} generated JSON bodies on every write endpoint with 2xx or 4xx, never 5xx`, { timeout: 600_000 }, async () => {
    const admitted = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }));
    const encounterId = admitted.body.encounterId as string;
    const idChoice = fc.oneof(fc.constant(encounterId), fc.uuid(), fc.string({ minLength: 1, maxLength: 300 }));
    const headers = fc.record(
      {
        'if-match': fc.constantFrom('"0"', '"1"', '"2"', 'W/"1"', '*', 'garbage'),
        'idempotency-key': fc.string({ minLength: 1, maxLength: 80 }),
        'content-type': fc.constantFrom(
          'application/json',
          'application/json; charset=UTF-8',
          'application/merge-patch+json',
          'text/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'text/plain',
          'application/json; charset=latin1',
          '',
        ),
      },
      { requiredKeys: [] },
    );
    const anyRoute = fc.record({
      route: fc.constantFrom(...WRITES),
      id: idChoice,
      other: idChoice,
      body,
      headers,
      facility: fc.constantFrom<'F1' | 'F2'>('F1', 'F1', 'F1', 'F2'),
    });
    const deeper = fc
      .record({ mutated: nearlyValid, headers, facility: fc.constantFrom<'F1' | 'F2'>('F1', 'F1', 'F1', 'F2') })
      .map(({ mutated, headers, facility }) => ({
        route: WRITES.find((r) => `${r.method} ${r.path}` === mutated.route)!,
        id: encounterId,
        other: encounterId,
        body: mutated.valid as unknown,
        headers,
        facility,
      }));
    const cases = fc.sample(fc.oneof({ weight: 3, arbitrary: anyRoute }, { weight: 1, arbitrary: deeper }), {
      numRuns: JSON_CASES,
      seed: SEED,
    });
    const outcomes = await inBatches(cases, 8, async (c) => {
      const path = c.route.path.replace(/\{id\}/g, encodeURIComponent(c.id)).replace(/\{\w+\}/g, encodeURIComponent(c.other));
      const raw =
        typeof c.body === 'object' && c.body !== null && 'raw' in c.body ? (c.body as { raw: string }).raw : JSON.stringify(c.body);
      const headerValues = Object.fromEntries(Object.entries(c.headers).filter(([, v]) => /^[\x20-\x7e]*$/.test(String(v))));
      const who: Who = c.facility;
      const response = await fetchRaw(c.route.method, path, raw, headerValues, who);
      return { route: `${c.route.method} ${c.route.path}`, status: response.status, body: raw.slice(0, 200) };
    });
    const serverErrors = outcomes.filter((o) => o.status >= 500 || o.status < 200);
    expect(serverErrors, `seed ${SEED}`).toEqual([]);
    // The generator reaches past body validation: besides 400s, lookups and preconditions answer.
    const statuses = new Set(outcomes.map((o) => o.status));
    expect(statuses.has(400)).toBe(true);
    expect(
      [401, 403, 404, 409, 412, 413, 415, 428].filter((s) => statuses.has(s)).length,
      `statuses ${[...statuses].join(',')}`,
    ).toBeGreaterThanOrEqual(3);
    expect(new Set(outcomes.map((o) => o.route)).size).toBe(WRITES.length);
  });

  it(`acknowledges ${HL7_CASES} mutated HL7 messages with AA, AE or AR, never 5xx, and stores every one it accepted`, {
    timeout: 600_000,
  }, async () => {
    const mutate = (message: string) =>
      fc.oneof(
        fc.constant(message),
        // A field replaced with anything, HL7 delimiters and escapes included.
        fc
          .tuple(
            fc.nat(),
            fc.string({ unit: fc.constantFrom('|', '^', '~', '\\', '&', '\r', '\n', 'A', '1', ' ', 'é', '\u0000'), maxLength: 30 }),
          )
          .map(([at, text]) => {
            const fields = message.split('|');
            fields[at % fields.length] = text;
            return fields.join('|');
          }),
        // Truncated anywhere.
        fc.nat(message.length).map((n) => message.slice(0, n)),
        // A segment dropped.
        fc.nat().map((n) => {
          const segments = message.split('\r').filter(Boolean);
          segments.splice(n % segments.length, 1);
          return `${segments.join('\r')}\r`;
        }),
        // Bytes thrown in.
        fc
          .tuple(fc.nat(message.length), fc.string({ unit: 'binary', maxLength: 20 }))
          .map(([at, junk]) => message.slice(0, at) + junk + message.slice(at)),
      );
    const base = fc.record({
      event: fc.constantFrom('A04', 'A08', 'A28', 'A31', 'A03', 'A11', 'A13', 'A40', 'ZZZ'),
      patientClass: fc.constantFrom('O', 'E', 'R'),
    });
    // Poison HL7 (issue 17 item 1): a key field long in characters or in bytes (1 to 4 bytes each,
    // either side of the bounds), or PID-3 repeated 1 to 120 times.
    const poison = fc
      .record({
        field: fc.constantFrom('MSH-3', 'MSH-4', 'MSH-10', 'PID-3.1', 'PID-3.4', 'PID-3 count', 'MRG-1', 'PV1-19', 'PID-18', 'PV1-3'),
        length: fc.integer({ min: 1, max: 3000 }),
        unit: fc.constantFrom('X', 'é', '漢', '𝔸'),
        event: fc.constantFrom('A01', 'A08', 'A28', 'A40'),
      })
      .map(({ field, length, unit, event }) => {
        const big = `${uniq('P')}${unit.repeat(length)}`;
        const ids = Array.from({ length: Math.min(length, 120) }, (_, i) => `${uniq('R')}${i}^^^FUZZHOSP^PI`);
        const message = adt({
          event,
          mrn: field === 'PID-3.1' ? big : uniq('FZ'),
          visit: field === 'PV1-19' ? big : field === 'PID-18' ? '' : uniq('FV'),
          sendingFacility: field === 'MSH-4' ? big : 'FUZZHOSP',
          ...(field === 'MSH-10' ? { controlId: big } : {}),
          ...(field === 'PID-3.4' ? { otherIds: [`${uniq('R')}^^^${big}^PI`] } : field === 'PID-3 count' ? { otherIds: ids } : {}),
          ...(event === 'A40' ? { mergedMrn: field === 'MRG-1' ? big : uniq('FZ') } : {}),
          ...(field === 'PV1-3' ? { location: `${big}^1^A` } : {}),
        });
        if (field === 'MSH-3') return message.replace('|EPIC|', `|${big}|`);
        return field === 'PID-18' ? message.replace(/^(PID(?:\|[^|\r]*){8})/m, `$1${'|'.repeat(10)}${big}`) : message;
      });
    const messages = fc.sample(
      fc.oneof(
        {
          arbitrary: base.chain((o) =>
            mutate(adt({ event: o.event, mrn: uniq('FZ'), visit: uniq('FV'), patientClass: o.patientClass, sendingFacility: 'FUZZHOSP' })),
          ),
          weight: 9,
        },
        { arbitrary: poison, weight: 1 },
      ),
      { numRuns: HL7_CASES, seed: SEED },
    );
    const outcomes = await inBatches(messages, 8, async (message) => {
      const response = await fetch(`${localStack().httpUrl}/v1/adt`, {
        method: 'POST',
        headers: { 'content-type': 'application/hl7-v2', authorization: `Bearer ${localStack().tokens.F1}` },
        body: message,
      });
      const ack = await response.text();
      const code = /(?:^|\r)MSA\|(AA|AE|AR)\|/.exec(ack)?.[1];
      return { message, status: response.status, code };
    });
    expect(
      outcomes
        .filter((o) => o.status >= 500 || (o.status === 200 && !o.code))
        .map((o) => ({ status: o.status, message: o.message.slice(0, 300) })),
      `seed ${SEED}`,
    ).toEqual([]);
    const accepted = outcomes.filter((o) => o.code === 'AA');
    expect(accepted.length).toBeGreaterThan(HL7_CASES / 10);
    expect(outcomes.some((o) => o.code === 'AE' || o.code === 'AR')).toBe(true);
    // Nothing accepted is lost: every AA message is stored under its sender and control id.
    const store = adtStore(localDynamo(), localStack().tableName);
    const missing = [];
    for (const { message } of accepted) {
      // Read the header as the receiver did (same parser: delimiters and escapes may be mutated).
      const parsed = parseHl7(message);
      if (!parsed.ok) throw new Error(`seed ${SEED}: accepted a message the parser refuses`);
      const msh = segment(parsed.message, 'MSH');
      const ref = { facilityId: 'F1', sendingFacility: value(parsed.message, msh, 4), controlId: value(parsed.message, msh, 10) };
      if (!(await store.get(ref))) missing.push(ref.controlId);
    }
    expect(missing, `seed ${SEED}`).toEqual([]);
  });

  // Unknown fields at every level (issue 17 item 3): a valid body with one field it does not know, put in at any depth.
  it(`refuses ${UNKNOWN_FIELD_CASES} valid bodies with an unknown field put in at any depth: 400 naming that field`, {
    timeout: 600_000,
  }, async () => {
    const admitted = await api(
      'POST',
      '/v1/encounters',
      syntheticAdmission({ admittedAt: new Date(Date.now() - 3_600_000).toISOString() }),
    );
    const encounterId = admitted.body.encounterId as string;
    let taskId = '';
    await expect
      .poll(
        async () =>
          (taskId =
            ((await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items ?? []).find(
              (t: { type: string }) => t.type === 'needs-assessment',
            )?.taskId ?? ''),
        { timeout: 60_000, interval: 250 },
      )
      .not.toBe('');
    const bodies = WITH_NESTING(encounterId, taskId);
    // One call each first, so these routes' functions have started (a cold start is not what this class tests).
    for (const { method, path } of bodies) await api(method, path, { zzWarmUp: true });
    const cases = fc.sample(
      fc.record({
        target: fc.nat(),
        at: fc.nat(),
        key: unknownKey,
        value: fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 10 }), fc.constant(null), fc.constant({}), fc.constant([])),
      }),
      { numRuns: UNKNOWN_FIELD_CASES, seed: SEED },
    );
    const outcomes = await inBatches(cases, 4, async (c) => {
      const { method, path, body } = bodies[c.target % bodies.length]!;
      const copy = structuredClone(body);
      const objects = objectsIn(copy);
      const [node, at] = objects[c.at % objects.length]!;
      node[c.key] = c.value;
      const expected = [...at, c.key].join('.');
      const response = await api(method, path, copy);
      const named = (response.body?.issues ?? []).some(
        (issue: { field: string; reason: string }) => issue.field === expected && issue.reason === 'unknown field',
      );
      return { route: `${method} ${path}`, expected, status: response.status, named };
    });
    expect(
      outcomes.filter((o) => o.status !== 400 || !o.named),
      `seed ${SEED}`,
    ).toEqual([]);
    // Deep as well as shallow: inside arrays of objects, three and more levels down.
    expect(outcomes.some((o) => o.expected.split('.').length >= 4)).toBe(true);
    expect(new Set(outcomes.map((o) => o.route)).size).toBe(bodies.length);
  });
});

/** A request with a body sent as is (the generated text may not be JSON). */
/**
 * Byte sizes and non-ASCII (issue 17 item 4): strings that become DynamoDB keys, in scripts of
 * one to four UTF-8 bytes a character and characters the key builders URI-encode, around and past
 * the character and byte limits. The schema decides (201 or 400 naming the field, never a 5xx),
 * and every identifier accepted is found again by search.
 */
const BYTE_CASES = Number(process.env.FUZZ_BYTE_CASES ?? 1_000);
const keyUnit = fc.constantFrom('a', 'Z', '7', '-', '/', ':', '%', '#', '?', '&', '+', ' ', 'é', 'ß', 'Ж', 'ع', '番', '€', 'ﬁ', '𝄞', '😀');
const wideUnit = fc.constantFrom('é', '番', '𝄞', '/');
// Lengths drawn explicitly: fast-check's default size would keep strings near 10 characters, far from any limit.
const keyString = (maxLength: number) =>
  fc
    .integer({ min: 1, max: maxLength })
    .chain((n) =>
      fc.oneof(fc.string({ unit: keyUnit, minLength: n, maxLength: n }), fc.string({ unit: wideUnit, minLength: n, maxLength: n })),
    );
// zod counts characters as code points (an emoji is one), DynamoDB counts bytes.
const withinLimits = (text: string, maxChars: number, maxBytes: number) =>
  Array.from(text).length >= 1 && Array.from(text).length <= maxChars && Buffer.byteLength(text) <= maxBytes;

describe('generated bad input: byte sizes and non-ASCII', () => {
  it(`answers ${BYTE_CASES} key-sized strings in every script as the limits say, never 5xx, and finds every identifier it accepted`, {
    timeout: 600_000,
  }, async () => {
    const tag = `B${Date.now().toString(36)}`;
    const kind = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('register' as const), system: keyString(260), value: keyString(130) }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('search' as const),
          system: keyString(260),
          value: fc.oneof(keyString(130), fc.string({ unit: keyUnit, minLength: 1_000, maxLength: 5_000 })),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('admit' as const), system: keyString(260), value: keyString(130), unit: keyString(80) }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('path' as const), system: keyString(100), value: keyString(100) }) },
    );
    const cases = fc.sample(kind, { numRuns: BYTE_CASES, seed: SEED }).map((c, index) => ({ ...c, index }));
    // Each function started once, one at a time: eight cold starts at once on a busy machine time out (a 500 from the gateway, not an answer).
    for (const [method, path, body] of [
      ['POST', '/v1/patients', {}],
      ['GET', '/v1/patients?identifier=a|b'],
      ['POST', '/v1/encounters', {}],
      ['GET', '/v1/care-managers/x/caseload'],
      ['GET', '/v1/practitioners/x/slots'],
      ['GET', '/v1/metrics'],
      ['GET', '/v1/satisfaction'],
    ] as const) {
      await api(method, path, body);
    }
    const outcomes = await inBatches(cases, 8, async (c) => {
      // Registrations get a unique prefix so no two claim one identifier; the limits judge the whole value.
      const value = c.kind === 'register' || c.kind === 'admit' ? `${tag}-${c.index}-${c.value}` : c.value;
      const system = c.system;
      const valid = withinLimits(system, 200, 400) && withinLimits(value, 100, 200);
      if (c.kind === 'register') {
        const response = await api('POST', '/v1/patients', {
          identifiers: [{ system, value, type: 'MR' }],
          name: { family: 'Bytecount', given: ['Synthetic'] },
          birthDate: '1966-04-30',
          sex: 'other',
        });
        return {
          c,
          system,
          value,
          valid,
          status: response.status,
          fields: (response.body?.issues ?? []).map((i: { field: string }) => i.field),
          patientId: response.body?.patientId as string | undefined,
          said: JSON.stringify(response.body).slice(0, 120),
        };
      }
      if (c.kind === 'admit') {
        const admission = syntheticAdmission({ class: 'outpatient', unit: c.unit }) as any;
        admission.patient.identifier = { system, value };
        const response = await api('POST', '/v1/encounters', admission);
        return {
          c,
          system,
          value,
          valid: valid && withinLimits(c.unit, 64, 1_000),
          status: response.status,
          fields: (response.body?.issues ?? []).map((i: { field: string }) => i.field),
          said: JSON.stringify(response.body).slice(0, 120),
        };
      }
      if (c.kind === 'search') {
        const response = await api('GET', `/v1/patients?identifier=${encodeURIComponent(`${system}|${value}`)}`);
        return {
          c,
          system,
          value,
          valid,
          status: response.status,
          fields: (response.body?.issues ?? []).map((i: { field: string }) => i.field),
          said: JSON.stringify(response.body).slice(0, 120),
        };
      }
      // Ids in paths and key-bearing query parameters: anything but a 5xx.
      const paths = [
        `/v1/care-managers/${encodeURIComponent(system)}/caseload`,
        `/v1/practitioners/${encodeURIComponent(value)}/slots?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z`,
        `/v1/metrics?from=2026-11-01&to=2026-11-02&unit=${encodeURIComponent(system)}`,
        `/v1/satisfaction?from=2026-01&to=2026-02&unit=${encodeURIComponent(value)}`,
      ];
      const answers = [];
      for (const path of paths) answers.push(await api('GET', path));
      const worst = answers.reduce((a, b) => (b.status > a.status ? b : a));
      return {
        c,
        system,
        value,
        valid: undefined,
        status: worst.status,
        fields: [] as string[],
        said: JSON.stringify(worst.body).slice(0, 120),
      };
    });

    expect(
      outcomes
        .filter((o) => o.status >= 500)
        .map((o) => ({ kind: o.c.kind, status: o.status, said: o.said, system: o.system.slice(0, 40), value: o.value.slice(0, 40) })),
      `seed ${SEED}`,
    ).toEqual([]);
    const judged = outcomes.filter((o) => o.valid !== undefined);
    // The schema's limits, not DynamoDB's, decide: within both limits accepted, past either one 400 naming the part.
    const wrong = judged.filter((o) =>
      o.valid
        ? o.status !== (o.c.kind === 'search' ? 200 : 201)
        : o.status !== 400 || !o.fields.some((f: string) => /(system|value|unit)$/.test(f)),
    );
    expect(
      wrong.map((o) => ({
        kind: o.c.kind,
        status: o.status,
        fields: o.fields,
        chars: [o.system.length, o.value.length],
        bytes: [Buffer.byteLength(o.system), Buffer.byteLength(o.value)],
      })),
      `seed ${SEED}`,
    ).toEqual([]);
    const registered = outcomes.filter((o) => o.c.kind === 'register' && o.status === 201);
    // Both sides of the limits are generated, in more than one script.
    expect(registered.length).toBeGreaterThan(BYTE_CASES / 20);
    expect(judged.filter((o) => !o.valid && o.value.length <= 100 && o.system.length <= 200).length).toBeGreaterThan(0);
    expect(registered.some((o) => Buffer.byteLength(o.value) > o.value.length)).toBe(true);
    const lost = (
      await inBatches(registered, 8, async (o) => {
        const found = await api('GET', `/v1/patients?identifier=${encodeURIComponent(`${o.system}|${o.value}`)}`);
        return { o, ids: (found.body?.items ?? []).map((p: { patientId: string }) => p.patientId) as string[] };
      })
    ).filter(({ o, ids }) => !ids.includes(o.patientId!));
    expect(
      lost.map(({ o }) => ({ system: o.system.slice(0, 40), value: o.value.slice(0, 40) })),
      `seed ${SEED}`,
    ).toEqual([]);
  });
});

async function fetchRaw(method: string, path: string, body: string, headers: Record<string, string>, who: Who) {
  if (!who) throw new Error('a caller is needed');
  const token = typeof who === 'string' ? localStack().tokens[who] : '';
  const response = await fetch(`${localStack().httpUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body,
  });
  await response.arrayBuffer();
  return { status: response.status };
}
