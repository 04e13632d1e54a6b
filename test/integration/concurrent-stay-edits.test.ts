import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain/access';
import { syntheticAdmission } from '../fixtures/admissions';
import { api, type Who } from '../support/clients';

/**
 * Issue 18's "done when": people documenting different parts of one stay at once never collide,
 * and people editing the same part still get one winner and 412s.
 *
 * This fails on the single-item design before acc51be (read from that commit's code): there every
 * part's PUT was `editEncounter` (shared/store/encounter-edits.ts) — If-Match was the encounter's
 * version and the write one UpdateItem of the encounter item conditional on it — so of four PUTs
 * racing on the same version only one could win (three 412s a round); every edit also bumped the
 * encounter's version, so its ETag could not stay put; and the part GETs did not exist (a 404 from
 * the router, taken as "0" only in the first round here, would be a 412 on the encounter at
 * version 1).
 */

/** An outpatient visit: no workflow and no caseload assignment write to its encounter record. */
async function outpatientStay(): Promise<string> {
  const admitted = await api(
    'POST',
    '/v1/encounters',
    syntheticAdmission({ class: 'outpatient', admittedAt: new Date(Date.now() - 3_600_000).toISOString() }),
  );
  expect(admitted.status).toBe(201);
  return admitted.body.encounterId as string;
}

const person = (role: Role, username: string): Who => ({ facility: 'F1', role, username });

/** Each role writes the part its policy lets it write (shared/domain/access.ts, infra/routes). */
const WRITERS: Array<{ role: Role; who: Who; path: string; body: (round: number) => unknown; shows: (part: any) => unknown }> = [
  {
    role: 'care-manager',
    who: person('care-manager', 'cm-synthetic'),
    path: 'goals-and-preferences',
    body: (round) => ({
      goals: [`Climb the stairs at home, round ${round}`],
      treatmentPreferences: [],
      preferredLanguage: 'fr',
      interpreterNeeded: round % 2 === 0,
      recordedBy: 'CM Synthetic',
    }),
    shows: (part) => part.goals[0],
  },
  {
    role: 'pharmacist',
    who: person('pharmacist', 'pharmd-synthetic'),
    path: 'medication-reconciliation',
    body: (round) => ({
      medications: [
        {
          drug: 'amlodipine',
          decision: 'changed',
          home: { dose: '5 mg', frequency: 'daily' },
          discharge: { dose: `${round + 5} mg`, frequency: 'daily' },
          reason: `Titrated, round ${round}`,
        },
      ],
      reconciledBy: 'PharmD Synthetic',
    }),
    shows: (part) => part.medications[0].reason,
  },
  {
    role: 'social-worker',
    who: person('social-worker', 'sw-synthetic'),
    path: 'needs-assessment',
    body: (round) => ({
      domains: { housing: { findings: [], notes: `Lives alone on the third floor, round ${round}` } },
      assessedBy: 'SW Synthetic',
    }),
    shows: (part) => part.domains.housing.notes,
  },
  {
    role: 'physician',
    who: person('physician', 'md-synthetic'),
    path: 'goals-of-care',
    body: (round) => ({
      level: round % 2 ? 'full-treatment' : 'selective-treatment',
      codeStatus: 'full-code',
      directives: [],
      recordedBy: `Dr Synthetic, round ${round}`,
    }),
    shows: (part) => part.recordedBy,
  },
];

const ROUNDS = 20;

describe('concurrent edits of one stay', () => {
  it('four roles editing four different parts at once, 20 rounds: every edit succeeds, each part at version 20, the encounter untouched', {
    timeout: 300_000,
  }, async () => {
    const encounterId = await outpatientStay();
    const encounterEtag = (await api('GET', `/v1/encounters/${encounterId}`)).headers.get('etag');
    expect(encounterEtag).toMatch(/^"\d+"$/);

    const outcomes: Array<{ round: number; path: string; read: number; status: number; etag: string | null }> = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      // Every read before any write: each writer's ETag is then as old as the others' writes, so
      // the test does not depend on the local API running requests in parallel.
      const reads = await Promise.all(
        WRITERS.map(({ who, path }) => api('GET', `/v1/encounters/${encounterId}/${path}`, undefined, {}, who)),
      );
      const results = await Promise.all(
        WRITERS.map(async ({ who, path, body }, index) => {
          const read = reads[index]!;
          // Only a part never written answers 404, and only before the first round's write.
          const version = read.status === 404 && round === 1 ? '"0"' : read.headers.get('etag');
          const write = await api('PUT', `/v1/encounters/${encounterId}/${path}`, body(round), { 'if-match': version ?? '' }, who);
          return { round, path, read: read.status, status: write.status, etag: write.headers.get('etag') };
        }),
      );
      outcomes.push(...results);
    }
    const failed = outcomes.filter((o) => o.status !== 200 && o.status !== 201);
    expect(failed, 'edits that did not succeed').toEqual([]);
    expect(
      outcomes.filter((o) => o.round > 1 && o.read !== 200),
      'part reads after the first write',
    ).toEqual([]);
    // Each part's write answered its own next version, round by round.
    for (const { path } of WRITERS)
      expect(outcomes.filter((o) => o.path === path).map((o) => o.etag)).toEqual(Array.from({ length: ROUNDS }, (_, i) => `"${i + 1}"`));

    for (const { who, path, shows } of WRITERS) {
      const part = await api('GET', `/v1/encounters/${encounterId}/${path}`, undefined, {}, who);
      expect(part.status, path).toBe(200);
      expect(part.headers.get('etag'), path).toBe(`"${ROUNDS}"`);
      expect(String(shows(part.body)), path).toContain(`round ${ROUNDS}`);
    }
    const after = await api('GET', `/v1/encounters/${encounterId}`);
    expect(after.headers.get('etag')).toBe(encounterEtag);
    expect(after.body.goalsOfCare.recordedBy).toBe(`Dr Synthetic, round ${ROUNDS}`);
  });

  it('five writers of the same part with the same ETag, several rounds: one wins each round, the rest 412, and the winner is what is read', {
    timeout: 300_000,
  }, async () => {
    const encounterId = await outpatientStay();
    const writers: Who[] = [
      person('care-manager', 'cm-one'),
      person('care-manager', 'cm-two'),
      person('social-worker', 'sw-one'),
      person('social-worker', 'sw-two'),
      'F1',
    ];
    const path = `/v1/encounters/${encounterId}/goals-and-preferences`;
    const before = (await api('GET', path, undefined, {}, writers[0])).status;
    expect(before).toBe(404);

    for (let round = 1; round <= 6; round += 1) {
      const version = round === 1 ? '"0"' : (await api('GET', path, undefined, {}, writers[0])).headers.get('etag')!;
      expect(version).toBe(`"${round - 1}"`);
      const results = await Promise.all(
        writers.map(async (who, writer) => {
          const body = {
            goals: [`Writer ${writer} of round ${round}`],
            treatmentPreferences: [`Preference ${writer}.${round}`],
            preferredLanguage: 'en',
            interpreterNeeded: false,
            recordedBy: `Writer ${writer}`,
          };
          const response = await api('PUT', path, body, { 'if-match': version }, who);
          return { writer, status: response.status, etag: response.headers.get('etag'), body: response.body };
        }),
      );
      const won = results.filter((r) => r.status === 200 || r.status === 201);
      expect(won, `round ${round}: ${JSON.stringify(results.map((r) => r.status))}`).toHaveLength(1);
      expect(results.filter((r) => r.status === 412)).toHaveLength(writers.length - 1);
      for (const lost of results.filter((r) => r.status === 412))
        expect(lost.body.message).toMatch(/goals and preferences.*since you read it/);

      const winner = won[0]!;
      expect(winner.etag).toBe(`"${round}"`);
      const read = await api('GET', path, undefined, {}, writers[2]);
      expect(read.headers.get('etag')).toBe(winner.etag);
      expect(read.body).toEqual(winner.body);
      expect(read.body).toMatchObject({
        goals: [`Writer ${winner.writer} of round ${round}`],
        treatmentPreferences: [`Preference ${winner.writer}.${round}`],
        recordedBy: `Writer ${winner.writer}`,
      });
    }
  });
});
