import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import { API_ROUTES } from '../../infra/routes/all';

const SITE_PROD = path.resolve(import.meta.dirname, '../fixtures/site-prod.json');

function corsOf(stage: 'dev' | 'prod') {
  const { api } = createApp(stage, mkdtempSync(path.join(tmpdir(), `carepath-cors-${stage}-`)), {
    bundle: false,
    stageConfigFile: stage === 'prod' ? SITE_PROD : undefined,
  });
  const apis = Object.values(Template.fromStack(api).findResources('AWS::ApiGatewayV2::Api'));
  expect(apis).toHaveLength(1);
  return apis[0]!.Properties.CorsConfiguration as Record<string, unknown> | undefined;
}

// The care-team app is a browser app on its own origin (PKCE client): without a CORS configuration
// the browser's preflight gets no Access-Control-Allow-Origin and every call fails. The local
// console is same-origin and hides this, so the template is what is tested.
describe('HTTP API CORS', () => {
  it.each([
    ['dev', ['http://localhost:5173']],
    ['prod', ['https://care-team.mercy-general.org']],
  ] as const)(
    '%s lets the care-team app’s own origins call it with a bearer token, and no other',
    (stage, origins) => {
      const cors = corsOf(stage);
      expect(cors).toBeDefined();
      expect(cors!.AllowOrigins).toEqual(origins);
      expect([...(cors!.AllowHeaders as string[])].sort()).toEqual(['authorization', 'content-type', 'if-match']);
      expect(cors!.ExposeHeaders).toEqual(['etag']);
      // Bearer tokens, not cookies: no credentials mode.
      expect(cors!.AllowCredentials).toBe(false);
      const used = [...new Set(API_ROUTES.map((route) => route.method))].sort();
      expect([...(cors!.AllowMethods as string[])].sort()).toEqual(used);
      expect(cors!.MaxAge).toBeGreaterThan(0);
    },
    60_000,
  );
});
