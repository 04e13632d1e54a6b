import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../infra/routes/all';
import { currentEtag, etagSourceOf } from '../../local/seed/stay-part-etag';

const STAY = '/v1/encounters/{id}';

describe('the ETag a write of a stay takes (local/seed/stay-part-etag.ts, used by the seed, the smoke walk and the tests)', () => {
  it("is the part's for a part's writes, the risk's for both risk writes, the encounter's for its own", () => {
    expect(etagSourceOf('/needs-assessment/suggestions/meals')).toBe('/needs-assessment');
    expect(etagSourceOf('/follow-up/visit')).toBe('/follow-up');
    expect(etagSourceOf('/risk-override')).toBe('/risk');
    expect(etagSourceOf('/risk-inputs')).toBe('/risk');
    expect(etagSourceOf('/satisfaction-survey')).toBe('/satisfaction-survey');
    expect(etagSourceOf('/care-team/lead')).toBe('');
    expect(etagSourceOf('/education/abc/teach-back')).toBe('');
  });

  it('names a GET route for every write route of a part', () => {
    const gets = new Set(API_ROUTES.filter((route) => route.method === 'GET').map((route) => route.path));
    const writes = API_ROUTES.filter((route) => route.method !== 'GET' && route.path.startsWith(`${STAY}/`));
    const sources = writes.map((route) => etagSourceOf(route.path.slice(STAY.length))).filter((source) => source !== '');
    expect(sources.length).toBeGreaterThanOrEqual(12);
    for (const source of sources) expect(gets, source).toContain(`${STAY}${source}`);
  });

  it('is "0" when the part was never written (404), and the GET\'s ETag otherwise', async () => {
    const asked: string[] = [];
    const call = (answers: Record<string, { status: number; etag: string | null }>) => async (_method: string, path: string) => {
      asked.push(path);
      return answers[path] ?? { status: 500, etag: null };
    };
    expect(await currentEtag(call({ '/v1/encounters/e1/goals-of-care': { status: 404, etag: null } }), 'e1', '/goals-of-care')).toBe('"0"');
    expect(await currentEtag(call({ '/v1/encounters/e1/risk': { status: 200, etag: '"3"' } }), 'e1', '/risk-override')).toBe('"3"');
    expect(asked).toEqual(['/v1/encounters/e1/goals-of-care', '/v1/encounters/e1/risk']);
    // An encounter that is not there is not a part never written.
    await expect(currentEtag(call({ '/v1/encounters/e1': { status: 404, etag: null } }), 'e1', '/care-team/lead')).rejects.toThrow(
      /HTTP 404/,
    );
  });
});
