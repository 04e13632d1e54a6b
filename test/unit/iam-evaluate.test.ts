import { describe, expect, it } from 'vitest';
import { compilePolicies, evaluate, type PolicyStatement } from '../../local/iam/evaluate';
import { IamEnforcement } from '../../local/iam/enforcement';
import { LocalRoles } from '../../local/iam/roles';
import { LocalTemplate, type CfnTemplate } from '../../local/template';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/records';

function policies(...statements: PolicyStatement[]) {
  return compilePolicies(statements.map((statement, index) => ({ statement, source: { policy: 'test', index } })));
}

describe('IAM policy evaluation', () => {
  it('allows what a statement allows and names the statement', () => {
    const decision = evaluate(policies({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE }), {
      action: 'dynamodb:Query',
      resource: TABLE,
    });
    expect(decision).toMatchObject({ decision: 'allow', source: { policy: 'test', index: 0 } });
  });

  it('denies implicitly what no statement allows, and says what is missing', () => {
    const decision = evaluate(policies({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: TABLE }), {
      action: 'dynamodb:Query',
      resource: `${TABLE}/index/GSI1`,
    });
    expect(decision).toEqual({
      decision: 'implicit-deny',
      missing: { Effect: 'Allow', Action: 'dynamodb:Query', Resource: `${TABLE}/index/GSI1` },
    });
  });

  it('lets an explicit Deny win over any Allow, whatever the order', () => {
    const allow: PolicyStatement = { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' };
    const deny: PolicyStatement = { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE };
    for (const order of [
      [allow, deny],
      [deny, allow],
    ]) {
      expect(evaluate(policies(...order), { action: 'dynamodb:DeleteItem', resource: TABLE }).decision).toBe('explicit-deny');
      expect(evaluate(policies(...order), { action: 'dynamodb:GetItem', resource: TABLE }).decision).toBe('allow');
    }
  });

  it.each([
    ['dynamodb:Get*', 'dynamodb:GetItem', true],
    ['DynamoDB:getitem', 'dynamodb:GetItem', true], // actions are case-insensitive
    ['kms:GenerateDataKey*', 'kms:GenerateDataKeyWithoutPlaintext', true],
    ['kms:ReEncrypt?', 'kms:ReEncryptTo', false], // ? is one character
    ['kms:ReEncrypt??', 'kms:ReEncryptTo', true],
    ['*', 's3:GetObject', true],
    ['dynamodb:Query', 'dynamodb:Scan', false],
  ])('action pattern %s against %s → %s', (pattern, action, allowed) => {
    expect(evaluate(policies({ Effect: 'Allow', Action: pattern, Resource: '*' }), { action, resource: TABLE }).decision === 'allow').toBe(
      allowed,
    );
  });

  it.each([
    [`${TABLE}/index/*`, `${TABLE}/index/GSI1`, true],
    [`${TABLE}/index/*`, TABLE, false],
    ['arn:aws:dynamodb:*:*:table/rec?rds', TABLE, true],
    ['arn:aws:dynamodb:us-east-1:000000000000:table/RECORDS', TABLE, false], // ARNs are case-sensitive
    ['arn:aws:lambda:us-east-1:000000000000:function:f:*', 'arn:aws:lambda:us-east-1:000000000000:function:f:live', true],
    ['arn:aws:lambda:us-east-1:000000000000:function:f:*', 'arn:aws:lambda:us-east-1:000000000000:function:f', false],
  ])('resource pattern %s against %s → %s', (pattern, resource, allowed) => {
    expect(
      evaluate(policies({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: [pattern] }), { action: 'dynamodb:Query', resource })
        .decision === 'allow',
    ).toBe(allowed);
  });

  it('reads NotAction and NotResource as "everything but"', () => {
    const set = policies(
      { Effect: 'Allow', NotAction: 'dynamodb:Delete*', Resource: TABLE },
      { Effect: 'Deny', Action: 'dynamodb:Scan', NotResource: [`${TABLE}/index/*`] },
    );
    expect(evaluate(set, { action: 'dynamodb:PutItem', resource: TABLE }).decision).toBe('allow');
    expect(evaluate(set, { action: 'dynamodb:DeleteItem', resource: TABLE }).decision).toBe('implicit-deny');
    expect(evaluate(set, { action: 'dynamodb:Scan', resource: TABLE }).decision).toBe('explicit-deny');
  });

  it('applies conditions: StringEquals, StringLike, ArnLike, their IfExists forms, Bool', () => {
    const set = policies(
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: '*',
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:states:us-east-1:000000000000:stateMachine:*' },
          StringEquals: { 'aws:SourceAccount': '000000000000' },
        },
      },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: '*', Condition: { StringLikeIfExists: { 'aws:PrincipalTag/team': 'care-*' } } },
      { Effect: 'Deny', Action: 'sqs:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    );
    const fromMachine = {
      'aws:SourceArn': 'arn:aws:states:us-east-1:000000000000:stateMachine:discharge',
      'aws:SourceAccount': '000000000000',
    };
    expect(evaluate(set, { action: 'sqs:SendMessage', resource: 'q', context: fromMachine }).decision).toBe('allow');
    expect(
      evaluate(set, { action: 'sqs:SendMessage', resource: 'q', context: { ...fromMachine, 'aws:SourceAccount': '111111111111' } })
        .decision,
    ).toBe('implicit-deny');
    expect(evaluate(set, { action: 'sqs:SendMessage', resource: 'q', context: { 'aws:SourceAccount': '000000000000' } }).decision).toBe(
      'implicit-deny',
    );
    expect(
      evaluate(set, { action: 'sqs:SendMessage', resource: 'q', context: { ...fromMachine, 'aws:SecureTransport': 'false' } }).decision,
    ).toBe('explicit-deny');
    expect(evaluate(set, { action: 'sns:Publish', resource: 't' }).decision).toBe('allow'); // absent key: IfExists passes
    expect(evaluate(set, { action: 'sns:Publish', resource: 't', context: { 'aws:PrincipalTag/team': 'billing' } }).decision).toBe(
      'implicit-deny',
    );
  });

  it('refuses a condition operator it does not know rather than guess', () => {
    expect(() =>
      policies({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01' } } }),
    ).toThrow(/DateGreaterThan/);
  });
});

describe('role policies from a template of several stacks', () => {
  // A routes stack's function role whose key grant imports the core stack's key ARN.
  const core: CfnTemplate = {
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'records',
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
        },
      },
      FnRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          ManagedPolicyArns: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] },
          ],
        },
      },
      FnPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'FnRole' }],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['dynamodb:Query', 'dynamodb:GetItem'],
                Resource: [
                  {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':dynamodb:',
                        { Ref: 'AWS::Region' },
                        ':',
                        { Ref: 'AWS::AccountId' },
                        ':table/records',
                      ],
                    ],
                  },
                ],
              },
              { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::ImportValue': 'Core:KeyArn' } },
            ],
          },
        },
      },
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'get-record', Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] } } },
    },
    Outputs: { 'core:KeyArn': { Value: { 'Fn::GetAtt': ['Key', 'Arn'] }, Export: { Name: 'Core:KeyArn' } } },
  };
  const template = new LocalTemplate(core, 'Core', 'cdk.out', { region: 'us-east-1', accountId: '000000000000' });

  it("resolves a grant on another stack's key (Fn::ImportValue) to the key's ARN", () => {
    const role = new LocalRoles(template).roleOfFunction('Fn')!;
    expect(evaluate(role.compiled, { action: 'kms:Decrypt', resource: 'arn:aws:kms:us-east-1:000000000000:key/Key' }).decision).toBe(
      'allow',
    );
    expect(
      evaluate(role.compiled, { action: 'logs:PutLogEvents', resource: 'arn:aws:logs:us-east-1:000000000000:log-group:x' }).decision,
    ).toBe('allow');
  });

  it('asks a DynamoDB call for the table (or index) grant and then the table key, failing closed for an unknown key id', () => {
    const iam = new IamEnforcement(template);
    const caller = iam.principalOfAccessKey(iam.accessKeyIdOf('Fn'))!;
    expect(iam.authorizeDynamoDb(caller, 'GetItem', { TableName: 'records' })).toBeUndefined();
    expect(iam.authorizeDynamoDb(caller, 'Query', { TableName: 'records', IndexName: 'GSI1' })?.message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/FnRole/get-record is not authorized to perform: dynamodb:Query on resource: ' +
        'arn:aws:dynamodb:us-east-1:000000000000:table/records/index/GSI1 because no identity-based policy allows the dynamodb:Query action',
    );
    expect(iam.authorizeDynamoDb(caller, 'TransactWriteItems', { TransactItems: [{ Put: { TableName: 'records' } }] })?.action).toBe(
      'dynamodb:PutItem',
    );
    expect(iam.principalOfAccessKey('local')).toBeUndefined();
    const stranger = iam.principalOfAccessKey('LOCALFNNoSuchFunction')!;
    expect(iam.authorizeDynamoDb(stranger, 'GetItem', { TableName: 'records' })).toBeDefined();
  });

  it('answers a read without kms:Decrypt on the table key as DynamoDB does', () => {
    const edited = structuredClone(core);
    (edited.Resources.FnPolicy!.Properties!.PolicyDocument as { Statement: unknown[] }).Statement.pop();
    const iam = new IamEnforcement(new LocalTemplate(edited, 'Core', 'cdk.out', { region: 'us-east-1', accountId: '000000000000' }));
    const denial = iam.authorizeDynamoDb(iam.principalOfAccessKey(iam.accessKeyIdOf('Fn'))!, 'GetItem', { TableName: 'records' });
    expect(denial).toMatchObject({ action: 'kms:Decrypt', kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/Key' });
    expect(denial?.message).toMatch(/^KMS key access denied error: .*Error Code: AccessDeniedException/);
  });
});
