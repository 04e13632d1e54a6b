import { randomUUID } from 'node:crypto';
import { adt } from '../synthetic-adt';
import { currentEtag } from './stay-part-etag';

/**
 * A synthetic month of hospital activity, sent through the HTTP API like a hospital's systems
 * would: ADT admissions and discharges (with readmissions), needs assessments documented within
 * or after 24 hours, follow-up contacts, duplicate orders refused and overridden, grievances
 * acknowledged and decided on time or late, satisfaction surveys answered. Every patient is made
 * up; the story of each stay is drawn from a seeded generator, so a seed gives the same month.
 */
/** The month's shape; its facility is the one the client's token grants. */
export interface MonthOptions {
  units: string[];
  /** First local day of the period, YYYY-MM-DD; admissions fall in [from, from + days). */
  from: string;
  days: number;
  /** Stays to admit (readmissions come on top). */
  encounters: number;
  seed?: number;
  /** Messages and calls in flight at once. */
  concurrency?: number;
  now?: Date;
}

export interface ApiClient {
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; etag: string | null }>;
  sendAdt(message: string): Promise<{ status: number; ack: string }>;
}

export function httpClient(baseUrl: string, token: string): ApiClient {
  const auth = { authorization: `Bearer ${token}` };
  return {
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined, etag: response.headers.get('etag') };
    },
    async sendAdt(message) {
      const response = await fetch(`${baseUrl}/v1/adt`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/hl7-v2' },
        body: message,
      });
      return { status: response.status, ack: await response.text() };
    },
  };
}

// The facility is the token's, which the seed does not know: MSH-6 (optional) is left out.
const NO_MSH6 = '';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!, chance: (p: number) => next() < p };
}

const hl7 = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 12);
const iso = (ms: number) => new Date(ms).toISOString();

/** PV1-36 codes and how often each ends a stay. */
const DISPOSITIONS: Array<[code: string, weight: number]> = [
  ['01', 62],
  ['06', 12],
  ['03', 9],
  ['62', 3],
  ['02', 5],
  ['50', 3],
  ['07', 3],
  ['20', 3],
];
const LENGTHS_OF_STAY = [0, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 10, 13];

interface Stay {
  mrn: string;
  visit: string;
  unit: string;
  admittedAt: number;
  dischargedAt?: number;
  disposition: string;
  /** When the needs assessment was done, if it was. */
  assessedAt?: number;
  readmission?: Stay;
  duplicateOrder?: 'refused' | 'overridden';
  grievance?: { receivedAt: number; acknowledgedAt?: number; decidedAt?: number; category: string };
  answersSurvey: boolean;
  contactReached?: boolean;
  /** Whether the chosen agency accepts, when the stay ends in home health. */
  referral?: 'accept' | 'decline';
}

/** The month's stays, decided up front so the same seed tells the same stories. */
export function planMonth(options: MonthOptions): Stay[] {
  const rng = random(options.seed ?? 20261001);
  const now = (options.now ?? new Date()).getTime();
  const start = Date.parse(`${options.from}T00:00:00Z`);
  const dispositionPool = DISPOSITIONS.flatMap(([code, weight]) => Array<string>(weight).fill(code));
  const stay = (unit: string, admittedAt: number, index: string): Stay => {
    const los = rng.pick(LENGTHS_OF_STAY);
    // Discharges cluster late morning to evening, local time on a US east-coast clock (UTC−4/−5).
    const dischargedAt =
      Math.floor(admittedAt / DAY) * DAY + los * DAY + (13 + Math.floor(rng.next() * 10)) * HOUR + Math.floor(rng.next() * 60) * 60_000;
    const discharged = dischargedAt > admittedAt && dischargedAt < now - HOUR;
    const ends = discharged ? dischargedAt : now - HOUR;
    const assessedAt = rng.chance(0.8) ? Math.min(admittedAt + (1 + rng.next() * 40) * HOUR, ends) : undefined;
    const receivedAt = admittedAt + rng.next() * (ends - admittedAt);
    const grievance = rng.chance(0.04)
      ? {
          receivedAt,
          category: rng.pick(['communication', 'quality-of-care', 'billing', 'premature-discharge']),
          ...(rng.chance(0.85) ? { acknowledgedAt: Math.min(receivedAt + rng.next() * 10 * DAY, now - HOUR) } : {}),
          ...(rng.chance(0.6) ? { decidedAt: Math.min(receivedAt + (1 + rng.next() * 40) * DAY, now - HOUR) } : {}),
        }
      : undefined;
    return {
      mrn: `SEED-${index}-${randomUUID().slice(0, 6)}`,
      visit: `SV-${index}-${randomUUID().slice(0, 6)}`,
      unit,
      admittedAt,
      ...(discharged ? { dischargedAt } : {}),
      disposition: rng.pick(dispositionPool),
      ...(assessedAt !== undefined && assessedAt > admittedAt ? { assessedAt } : {}),
      ...(rng.chance(0.06) ? { duplicateOrder: rng.chance(0.5) ? ('refused' as const) : ('overridden' as const) } : {}),
      ...(grievance ? { grievance } : {}),
      answersSurvey: rng.chance(0.35),
      ...(rng.chance(0.7) ? { referral: rng.chance(0.75) ? ('accept' as const) : ('decline' as const) } : {}),
      ...(rng.chance(0.6) ? { contactReached: rng.chance(0.8) } : {}),
    };
  };
  return Array.from({ length: options.encounters }, (_, i) => {
    const admittedAt = start + Math.floor(rng.next() * options.days * DAY);
    const first = stay(options.units[i % options.units.length]!, Math.min(admittedAt, now - 2 * HOUR), String(i));
    const alive = first.dischargedAt !== undefined && !['20', '02', '07'].includes(first.disposition);
    if (alive && rng.chance(0.12)) {
      const back = first.dischargedAt! + (1 + rng.next() * 27) * DAY;
      if (back < now - 2 * HOUR) first.readmission = { ...stay(rng.pick(options.units), back, `${i}r`), mrn: first.mrn };
    }
    return first;
  });
}

export interface SeedProgress {
  done: number;
  total: number;
}

/** Runs `work` over `items` with at most `concurrency` at once, reporting each one finished. */
async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>, onDone: () => void): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await work(item);
        onDone();
      }
    }),
  );
}

class SeedError extends Error {
  override name = 'SeedError';
}

function expectStatus(what: string, response: { status: number; body: unknown }, ...ok: number[]) {
  if (!ok.includes(response.status)) throw new SeedError(`${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
}

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new SeedError(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A PUT or POST with its part's If-Match, read again when the workflow changed the part meanwhile (412). */
async function edit(api: ApiClient, encounterId: string, method: string, path: string, body: unknown) {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const etag = await currentEtag((method, url) => api.call(method, url), encounterId, path);
    const response = await api.call(method, `/v1/encounters/${encounterId}${path}`, body, { 'if-match': etag });
    if (response.status !== 412) return response;
  }
  throw new SeedError(`${path} stayed 412 after 20 tries`);
}

async function openTask(api: ApiClient, encounterId: string, type: string): Promise<{ taskId: string }> {
  return poll(`a ${type} task`, async () => {
    const tasks = (await api.call('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body?.items as
      | Array<{ taskId: string; type: string }>
      | undefined;
    return tasks?.find((task) => task.type === type);
  });
}

/** The planning steps up to a referral: needs found, a home-health agency chosen, its answer. */
async function referHomeHealth(api: ApiClient, encounterId: string, answer: 'accept' | 'decline') {
  const assessment = await openTask(api, encounterId, 'needs-assessment');
  expectStatus(
    'needs-assessment task',
    await api.call('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed', data: { needs: ['home-health'] } }),
    200,
  );
  const choice = await openTask(api, encounterId, 'patient-choice');
  const offered = ((await api.call('GET', `/v1/encounters/${encounterId}`)).body?.choiceList?.providers ?? []) as Array<{
    providerId: string;
  }>;
  if (offered.length === 0) throw new SeedError('No home-health agency serves this facility (shared/domain/post-acute-directory.ts)');
  const providerId = offered[0]!.providerId;
  expectStatus(
    'patient choice',
    await edit(api, encounterId, 'PUT', '/patient-choice', { chosenProviderIds: [providerId], recordedBy: 'CM Synthetic' }),
    200,
  );
  expectStatus('patient-choice task', await api.call('POST', `/v1/tasks/${choice.taskId}/complete`, { outcome: 'completed' }), 200);
  const referral = await poll('the referral to go out', async () => {
    const items = (await api.call('GET', `/v1/encounters/${encounterId}/referrals`)).body?.items as
      | Array<{ providerId: string; status: string; referralId: string }>
      | undefined;
    return items?.find((r) => r.providerId === providerId && r.status === 'sent');
  });
  const body =
    answer === 'accept'
      ? { answer, answeredBy: 'Intake Synthetic' }
      : { answer, answeredBy: 'Intake Synthetic', reason: 'No capacity this week' };
  expectStatus(
    'referral answer',
    await api.call('POST', `/v1/encounters/${encounterId}/referrals/${referral.referralId}/answer`, body),
    200,
  );
}

async function admit(api: ApiClient, stay: Stay): Promise<string> {
  const ack = await api.sendAdt(
    adt({
      event: 'A01',
      mrn: stay.mrn,
      visit: stay.visit,
      at: hl7(stay.admittedAt),
      admittedAt: hl7(stay.admittedAt),
      location: `${stay.unit}^101^A^GENHOSP`,
      receivingFacility: NO_MSH6,
    }),
  );
  if (!/MSA\|AA/.test(ack.ack)) throw new SeedError(`A01 not accepted: ${ack.ack.replace(/\r/g, ' | ')}`);
  return poll('the admission to be applied', async () => {
    const found = await api.call('GET', `/v1/patients?identifier=${encodeURIComponent(`urn:hl7v2:authority:GENHOSP|${stay.mrn}`)}`);
    const patientId = found.body?.items?.[0]?.patientId as string | undefined;
    if (!patientId) return undefined;
    const stays = await api.call('GET', `/v1/patients/${patientId}/encounters`);
    return (stays.body?.items as Array<{ encounterId: string; visitNumber?: string }> | undefined)?.find(
      (e) => e.visitNumber === stay.visit,
    )?.encounterId;
  });
}

async function liveThrough(api: ApiClient, stay: Stay): Promise<string> {
  const encounterId = await admit(api, stay);
  if (stay.assessedAt !== undefined) {
    const assessed = await edit(api, encounterId, 'PUT', '/needs-assessment', {
      domains: { functional: { findings: ['fall-risk'] } },
      assessedBy: 'CM Synthetic',
      assessedAt: iso(stay.assessedAt),
    });
    expectStatus('needs assessment', assessed, 200);
  }
  if (stay.duplicateOrder) {
    const order = (placer: string, extra: Record<string, unknown> = {}) => ({
      placerOrderNumber: placer,
      code: { system: 'http://loinc.org', code: '3016-3', display: 'TSH' },
      orderingPractitioner: { id: 'dr-seed', name: 'Dr Seed Synthetic' },
      orderedAt: iso(stay.admittedAt + HOUR),
      ...extra,
    });
    expectStatus('first order', await api.call('POST', `/v1/encounters/${encounterId}/orders`, order(`SEED-${stay.visit}-1`)), 201);
    const repeat = order(
      `SEED-${stay.visit}-2`,
      stay.duplicateOrder === 'overridden' ? { overrideReason: 'Dose changed; endocrinology asks for a repeat now' } : {},
    );
    expectStatus(
      'repeat order',
      await api.call('POST', `/v1/encounters/${encounterId}/orders`, repeat),
      stay.duplicateOrder === 'overridden' ? 201 : 409,
    );
  }
  if (stay.grievance) {
    const g = stay.grievance;
    const filed = await api.call('POST', `/v1/encounters/${encounterId}/grievances`, {
      channel: 'phone',
      category: g.category,
      severity: 'moderate',
      raisedBy: 'family',
      description: 'Synthetic complaint for the seeded month',
      namedContact: 'Patient Relations Synthetic',
      receivedAt: iso(g.receivedAt),
    });
    expectStatus('grievance', filed, 201);
    const path = `/v1/encounters/${encounterId}/grievances/${filed.body.grievanceId}`;
    if (g.acknowledgedAt !== undefined)
      expectStatus(
        'acknowledgement',
        await api.call('POST', `${path}/acknowledgement`, {
          acknowledgedAt: iso(Math.max(g.acknowledgedAt, g.receivedAt)),
          by: 'Patient Relations Synthetic',
        }),
        200,
        409,
      );
    if (g.decidedAt !== undefined) {
      const decided = await api.call('POST', `${path}/decision`, {
        contactPerson: 'Patient Relations Synthetic',
        stepsTaken: ['Interviewed the staff involved'],
        results: 'Explained and apologised; process changed',
        completedAt: iso(Math.max(g.decidedAt, g.receivedAt)),
        writtenBy: 'Patient Relations Synthetic',
      });
      // A decision can come only once the grievance is acknowledged (409 otherwise): that stays open.
      expectStatus('decision', decided, 200, 409);
    }
  }
  if (stay.referral && stay.disposition === '06' && stay.dischargedAt !== undefined) await referHomeHealth(api, encounterId, stay.referral);
  if (stay.dischargedAt === undefined) return encounterId;
  const ack = await api.sendAdt(
    adt({
      event: 'A03',
      mrn: stay.mrn,
      visit: stay.visit,
      at: hl7(stay.dischargedAt),
      admittedAt: hl7(stay.admittedAt),
      dischargedAt: hl7(stay.dischargedAt),
      disposition: stay.disposition,
      location: `${stay.unit}^101^A^GENHOSP`,
      receivingFacility: NO_MSH6,
    }),
  );
  if (!/MSA\|AA/.test(ack.ack)) throw new SeedError(`A03 not accepted: ${ack.ack.replace(/\r/g, ' | ')}`);
  await poll('the discharge to be applied', async () =>
    (await api.call('GET', `/v1/encounters/${encounterId}`)).body?.status === 'discharged' ? true : undefined,
  );
  if (stay.contactReached !== undefined) {
    const followUp = await poll('the follow-up to be planned', async () => {
      const encounter = (await api.call('GET', `/v1/encounters/${encounterId}`)).body;
      if (encounter?.followUp) return encounter.followUp;
      // Planning over without a follow-up: hospice, rehab, another hospital, death are not eligible.
      return encounter?.workflow?.status === 'SUCCEEDED' ? null : undefined;
    });
    const at = stay.dischargedAt + DAY;
    if (followUp && at < Date.now()) {
      const contact = await edit(api, encounterId, 'POST', '/follow-up/contacts', {
        at: iso(at),
        method: 'phone',
        reached: stay.contactReached,
        by: 'CM Synthetic',
      });
      expectStatus('follow-up contact', contact, 201, 409);
    }
  }
  if (stay.answersSurvey) {
    const survey = await poll('the satisfaction survey to be sent', async () => {
      const encounter = (await api.call('GET', `/v1/encounters/${encounterId}`)).body;
      if (encounter?.satisfactionSurvey) return encounter.satisfactionSurvey;
      if (!encounter?.followUp && encounter?.workflow?.status === 'SUCCEEDED') return null;
      // Sent once the 2-business-day contact deadline has passed; not within this run before that.
      const followUp = encounter?.followUp;
      if (followUp && (followUp.contactDueBy > iso(Date.now()) || followUp.status === 'closed')) return null;
      return undefined;
    });
    if (survey) {
      const answers = {
        'nurses-listened': 1 + (stay.visit.length % 4),
        'overall-rating': 5 + (stay.mrn.charCodeAt(stay.mrn.length - 1) % 6),
        'would-recommend': stay.admittedAt % 2 === 0 ? 4 : 3,
      };
      expectStatus(
        'survey answers',
        await edit(api, encounterId, 'PUT', '/satisfaction-survey', { answers, answeredAt: iso(Date.now()), channel: 'mail' }),
        200,
        409,
      );
    }
  }
  return encounterId;
}

/** Sends the month; `onProgress` is called after each stay (and its readmission) is through. */
export async function seedMonth(
  api: ApiClient,
  options: MonthOptions,
  onProgress: (progress: SeedProgress) => void = () => {},
): Promise<{ stays: number; encounterIds: string[] }> {
  const plan = planMonth(options);
  const encounterIds: string[] = [];
  let done = 0;
  const total = plan.length;
  await pool(
    plan,
    options.concurrency ?? 8,
    async (stay) => {
      encounterIds.push(await liveThrough(api, stay));
      if (stay.readmission) encounterIds.push(await liveThrough(api, stay.readmission));
    },
    () => onProgress({ done: ++done, total }),
  );
  return { stays: encounterIds.length, encounterIds };
}
