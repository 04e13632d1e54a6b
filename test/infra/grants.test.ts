import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import { API_ROUTES } from '../../infra/routes/all';

type Resource = { Type: string; Properties: Record<string, any> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

let resources: Record<string, Resource>;
let tableId: string;
let tableKeyId: string;
let tableName: string;

beforeAll(() => {
  const { app, stacks } = createApp('dev', mkdtempSync(path.join(tmpdir(), 'carepath-grants-')), { bundle: false });
  app.synth();
  // Logical ids are unique across the app's stacks: read them as one.
  resources = Object.assign({}, ...stacks.map((stack) => Template.fromStack(stack).toJSON().Resources));
  [tableId] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')!;
  tableName = resources[tableId]!.Properties.TableName;
  tableKeyId = (resources[tableId]!.Properties.SSESpecification.KMSMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}, 120_000);

const actions = (s: Statement) => [s.Action].flat();
/** Every statement of the inline policies attached to a role (by the role's logical id). */
function statementsOf(roleId: string): Statement[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}
/** Names the care table: by logical id in its own stack, by its physical name where imported. */
const onTable = (s: Statement) => JSON.stringify(s.Resource).includes(tableId) || JSON.stringify(s.Resource).includes(`table/${tableName}`);
/** Names the table's key: GetAtt in its stack, an import of that GetAtt elsewhere. */
const onTableKey = (s: Statement) => JSON.stringify(s.Resource).includes(tableKeyId);
const KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'];
function keyActions(statements: Statement[]): string[] {
  return [...new Set(statements.filter(onTableKey).flatMap(actions))].filter((a) => KEY_ACTIONS.includes(a)).sort();
}
const roleOfFunction = (fnId: string) => (resources[fnId]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

describe('state machines', () => {
  const machineRoles = () =>
    Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
      .map(([id, r]) => [id, (r.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]] as const);

  it('are four, each with a role of its own', () => {
    expect(machineRoles()).toHaveLength(4);
  });

  // A direct DynamoDB integration (e.g. "Link workflow to encounter") is the state machine's role
  // calling DynamoDB: on a table encrypted with a customer-managed key, the role needs that key too.
  it('that read or write the care table directly may use its key', () => {
    const users = machineRoles().filter(([, role]) =>
      statementsOf(role).some((s) => onTable(s) && actions(s).some((a) => a.startsWith('dynamodb:'))),
    );
    expect(users.length).toBeGreaterThanOrEqual(1);
    for (const [machine, role] of users) expect([machine, keyActions(statementsOf(role))]).toEqual([machine, KEY_ACTIONS]);
  });
});

describe('route functions', () => {
  const pascal = (handler: string) => handler.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  // A route's function is `<Handler>/Fn` in its routes stack (infra/stacks/routes-stack.ts).
  const routeFunction = (handler: string) => {
    const found = Object.keys(resources).filter(
      (id) => resources[id]!.Type === 'AWS::Lambda::Function' && new RegExp(`^${pascal(handler)}Fn[0-9A-F]{8}$`).test(id),
    );
    expect(found, handler).toHaveLength(1);
    return found[0]!;
  };

  // Seven routes query an index (tasks, a patient's stays, $everything, slots, appointments.ics,
  // care-manager reassignment, A40 merges): a grant on the table alone is denied on its indexes.
  it.each(API_ROUTES.filter((r) => r.data !== 'none').map((r) => [`${r.method} ${r.path}`, r.handler, r.data] as const))(
    '%s (%s) may %s the table, its indexes and its key',
    (_, handler, data) => {
      const statements = statementsOf(roleOfFunction(routeFunction(handler)));
      const dynamo = statements.filter((s) => actions(s).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo.some(onTable)).toBe(true);
      expect(JSON.stringify(dynamo.map((s) => s.Resource))).toContain(`table/${tableName}/index/*`);
      expect(keyActions(statements)).toEqual(data === 'write' ? KEY_ACTIONS : ['kms:Decrypt']);
    },
  );
});
