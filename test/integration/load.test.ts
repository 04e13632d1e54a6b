import autocannon, { type Result } from 'autocannon';
import { describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../local/auth';
import { adt, uniq } from '../../local/synthetic-adt';
import { adtStore } from '../../shared/store/adt-store';
import { syntheticAdmission } from '../fixtures/admissions';
import { api, inBatches, localDynamo, localStack } from '../support/clients';

/**
 * A bounded load run on loopback: for a fixed time, ADT messages (a facility of their own),
 * reads of stays and completions of care managers' tasks, all at once. Then the count: every
 * message acknowledged AA is stored exactly once, every task completed exactly once.
 * LOAD_SECONDS sets the duration (default 10).
 */
const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const TASKS = 30;

describe('under a mixed load', () => {
  it(`takes ADT messages, reads and task completions for ${SECONDS} s with 0 errors, and loses or doubles nothing`, {
    timeout: 300_000,
  }, async () => {
    // Stays whose needs-assessment tasks the load completes, and whose records it reads.
    const encounterIds = await inBatches(
      Array.from({ length: TASKS }, () => syntheticAdmission()),
      4,
      async (body) => (await api('POST', '/v1/encounters', body)).body.encounterId as string,
    );
    const taskIds = await inBatches(encounterIds, 4, async (encounterId) => {
      for (let tries = 0; tries < 150; tries += 1) {
        const open = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items as Array<{
          taskId: string;
          type: string;
        }>;
        const task = open.find((t) => t.type === 'needs-assessment');
        if (task) return task.taskId;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no assessment task for ${encounterId}`);
    });

    const facility = `LOAD${Date.now() % 100_000}`;
    const feedToken = await mintLocalToken({ facilityId: facility, clientId: 'load-feed' });
    const store = adtStore(localDynamo(), localStack().tableName);
    const token = localStack().tokens.F1;
    const acked: string[] = [];
    let refused = 0;
    const sent = new Set<string>();
    const run = (options: Omit<autocannon.Options, 'url'>) =>
      new Promise<Result>((resolve, reject) => {
        autocannon({ url: localStack().httpUrl, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
      });

    // Warm every function the load calls, as many instances as it has connections: the run
    // measures a running service, not the local runtime's cold starts.
    await Promise.all([
      ...Array.from({ length: 4 }, () =>
        fetch(`${localStack().httpUrl}/v1/adt`, {
          method: 'POST',
          headers: { 'content-type': 'application/hl7-v2', authorization: `Bearer ${feedToken}` },
          body: adt({ event: 'A28', controlId: uniq('WARM'), mrn: uniq('LMRN'), receivingFacility: facility }),
        }).then((r) => r.text()),
      ),
      ...encounterIds.slice(0, 4).map((id) => api('GET', `/v1/encounters/${id}`)),
      ...Array.from({ length: 2 }, () => api('POST', `/v1/tasks/${crypto.randomUUID()}/complete`, { outcome: 'completed' })),
    ]);
    // Messages are indexed by the UTC day they arrived: a run across midnight counts both days.
    const firstDay = new Date().toISOString().slice(0, 10);
    const storedSoFar = async () => {
      const days = new Set([firstDay, new Date().toISOString().slice(0, 10)]);
      return (await Promise.all([...days].map((day) => store.countReceivedOn(facility, day)))).reduce((a, b) => a + b, 0);
    };
    const warmed = await storedSoFar();

    let read = 0;
    let completed = 0;
    const [feed, reads, completions] = await Promise.all([
      run({
        duration: SECONDS,
        connections: 4,
        requests: [
          {
            method: 'POST',
            path: '/v1/adt',
            headers: { 'content-type': 'application/hl7-v2', authorization: `Bearer ${feedToken}` },
            setupRequest: (request) => {
              const controlId = uniq('LOAD');
              sent.add(controlId);
              return {
                ...request,
                body: adt({
                  event: 'A04',
                  controlId,
                  mrn: uniq('LMRN'),
                  visit: uniq('LV'),
                  patientClass: 'O',
                  receivingFacility: facility,
                }),
              };
            },
            onResponse: (_status, body) => {
              const controlId = /\rMSA\|AA\|([^|\r]+)/.exec(body)?.[1];
              if (controlId) acked.push(controlId);
              else refused += 1;
            },
          },
        ],
      }),
      run({
        duration: SECONDS,
        connections: 4,
        requests: [
          {
            method: 'GET',
            headers: { authorization: `Bearer ${token}` },
            setupRequest: (request) => ({ ...request, path: `/v1/encounters/${encounterIds[read++ % encounterIds.length]}` }),
          },
        ],
      }),
      run({
        amount: TASKS,
        connections: 2,
        requests: [
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ outcome: 'completed' }),
            setupRequest: (request) => ({ ...request, path: `/v1/tasks/${taskIds[completed++]}/complete` }),
          },
        ],
      }),
    ]);

    console.info(
      `load ${SECONDS} s: ADT ${feed.requests.total} (${Math.round(feed.requests.average)}/s, p99 ${feed.latency.p99} ms), ` +
        `sent ${sent.size}, reads ${reads.requests.total} (${Math.round(reads.requests.average)}/s, p99 ${reads.latency.p99} ms), completions ${completions.requests.total}`,
    );
    for (const [name, result] of [
      ['ADT feed', feed],
      ['reads', reads],
      ['task completions', completions],
    ] as const) {
      expect({ name, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }).toEqual({
        name,
        errors: 0,
        timeouts: 0,
        non2xx: 0,
      });
    }
    expect(refused).toBe(0);
    // It was a load (speed itself is measured by `npm run bench`, not here).
    expect(feed.requests.total).toBeGreaterThan(SECONDS * 2);
    expect(reads.requests.total).toBeGreaterThan(SECONDS * 5);
    expect(completions.requests.total).toBe(TASKS);

    // Nothing lost: every acknowledged message is stored. Nothing doubled: the store holds no more
    // messages than were sent (a request cut off at the end may be stored without its ACK read).
    expect(new Set(acked).size).toBe(acked.length);
    const lost = (
      await inBatches(acked, 8, async (controlId) =>
        (await store.get({ facilityId: facility, sendingFacility: 'GENHOSP', controlId })) ? [] : [controlId],
      )
    ).flat();
    expect(lost).toEqual([]);
    const stored = (await storedSoFar()) - warmed;
    expect(stored).toBeGreaterThanOrEqual(acked.length);
    expect(stored).toBeLessThanOrEqual(sent.size);
    // Every task completed, once: completing one again is refused (409) because it is closed.
    const closed = await inBatches(
      taskIds,
      4,
      async (taskId) => (await api('POST', `/v1/tasks/${taskId}/complete`, { outcome: 'completed' })).status,
    );
    expect(closed.every((status) => status === 409)).toBe(true);
  });
});
