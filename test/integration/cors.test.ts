import { describe, expect, it } from 'vitest';
import { api, localStack } from '../support/clients';
import { syntheticAdmission } from '../fixtures/admissions';

// dev's care-team app signs in at http://localhost:5173/callback, so that origin is the one allowed.
const APP_ORIGIN = 'http://localhost:5173';
const OTHER_ORIGIN = 'https://not-the-care-team-app.invalid';

const preflight = (path: string, origin: string, method: string, headers = 'authorization,content-type,if-match') =>
  fetch(`${localStack().httpUrl}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

describe('CORS as the template configures it (API Gateway answers preflights itself)', () => {
  it("answers the care-team app's preflight without a token, for the headers an edit sends", async () => {
    const response = await preflight('/v1/encounters/some-id/goals-and-preferences', APP_ORIGIN, 'PUT');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type,if-match');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives another origin, or a header the API does not allow, no CORS headers: the browser blocks it', async () => {
    const stranger = await preflight('/v1/tasks', OTHER_ORIGIN, 'GET');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const oddHeader = await preflight('/v1/tasks', APP_ORIGIN, 'GET', 'authorization,x-role');
    expect(oddHeader.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the origin and exposes the ETag on a real response to the app (If-Match needs it), not to another origin', async () => {
    const admitted = await api('POST', '/v1/encounters', syntheticAdmission());
    expect(admitted.status).toBe(201);
    const path = `/v1/encounters/${admitted.body.encounterId}`;
    const fromApp = await api('GET', path, undefined, { origin: APP_ORIGIN });
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(fromApp.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');
    const fromOther = await api('GET', path, undefined, { origin: OTHER_ORIGIN });
    expect(fromOther.headers.get('access-control-allow-origin')).toBeNull();
  });
});
