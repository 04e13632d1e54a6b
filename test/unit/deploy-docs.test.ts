import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';

// docs/deploy.md is what a new operator copies. Its token request once asked for the facility
// scope alone: Cognito then issues a token with no role, and every route answers 403. The request
// must name scopes the synthesized app defines, and ones its client is allowed.

const root = path.resolve(import.meta.dirname, '../..');
const doc = readFileSync(path.join(root, 'docs/deploy.md'), 'utf8');

/** The shell of the doc's code blocks, continuation lines joined. */
const shell = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) => block[1]!.replace(/\\\n\s*/g, ' ')).join('\n');

let resourceServer: { identifier: string; scopes: string[] };
let clientScopes: Map<string, string[]>;

beforeAll(() => {
  const { api } = createApp('dev', mkdtempSync(path.join(tmpdir(), 'carepath-docs-')), { bundle: false });
  const template = Template.fromStack(api).toJSON() as { Resources: Record<string, { Type: string; Properties: any }> };
  const resources = Object.entries(template.Resources);
  const [serverId, server] = resources.find(([, r]) => r.Type === 'AWS::Cognito::UserPoolResourceServer')!;
  resourceServer = {
    identifier: server.Properties.Identifier,
    scopes: server.Properties.Scopes.map((s: { ScopeName: string }) => s.ScopeName),
  };
  // AllowedOAuthScopes are `<Ref resource server>/<scope>`: the Ref is the identifier.
  const scopeOf = (value: unknown) => {
    const [, parts] = (value as { 'Fn::Join': [string, Array<string | { Ref: string }>] })['Fn::Join'];
    return parts.map((part) => (typeof part === 'string' ? part : part.Ref === serverId ? resourceServer.identifier : '?')).join('');
  };
  clientScopes = new Map(
    resources
      .filter(([, r]) => r.Type === 'AWS::Cognito::UserPoolClient' && r.Properties.AllowedOAuthFlows?.includes('client_credentials'))
      .map(([, r]) => [r.Properties.ClientName as string, (r.Properties.AllowedOAuthScopes as unknown[]).map(scopeOf)]),
  );
}, 120_000);

describe("docs/deploy.md's token request", () => {
  const request = shell.split('\n').find((line) => /grant_type=client_credentials/.test(line));
  // `-d scope=a` or `--data-urlencode "scope=a b"`.
  const scope = request ? /(["']?)scope=(.+?)\1(?:\s|$)/.exec(request)?.[2]?.trim().split(/\s+/) : undefined;
  const client = /ClientName=='([^']+)'/.exec(shell)?.[1];

  it('is there, with an explicit scope and a named client', () => {
    expect(request).toBeDefined();
    expect(scope).toBeDefined();
    expect(client).toBeDefined();
  });

  it('asks for a role scope AND a facility scope, each defined by the synthesized resource server', () => {
    const names = scope!.map((s) => {
      const [server, name] = s.split('/');
      expect(server).toBe(resourceServer.identifier);
      expect(resourceServer.scopes).toContain(name);
      return name!;
    });
    expect(names.filter((n) => n.startsWith('facility.'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('role.')).length).toBeGreaterThan(0);
  });

  it('asks only for scopes the named client is allowed (else Cognito answers invalid_scope)', () => {
    expect(clientScopes.get(client!)).toEqual(expect.arrayContaining(scope!));
  });

  it("uses the same scopes for the smoke test as for the token, here and in the README's deploy section", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const deploySection = readme
      .slice(readme.indexOf('## Deploy'), readme.indexOf('\n## ', readme.indexOf('## Deploy') + 1))
      .replace(/\\\n\s*/g, ' ');
    for (const text of [shell, deploySection]) {
      const smoke = text.split('\n').find((line) => /npm run smoke -- --api/.test(line));
      expect(/--scope "([^"]+)"/.exec(smoke ?? '')?.[1]?.split(' ')).toEqual(scope);
    }
  });
});
