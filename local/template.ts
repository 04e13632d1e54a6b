import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The synthesized CloudFormation template, with its intrinsic functions resolved to stable
 * local values. Everything the local stack runs (tables, functions, state machines, routes,
 * triggers) is read from here, so there is no second hand-written copy of the infrastructure.
 */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

export interface LocalAccount {
  region: string;
  accountId: string;
}

export class LocalTemplate {
  constructor(
    readonly template: CfnTemplate,
    readonly stackName: string,
    readonly cdkOut: string,
    readonly account: LocalAccount,
  ) {}

  /**
   * The app's stacks as one template: `<stackName>.template.json` and every `<stackName>-*` beside
   * it (the API and operations stacks). Logical ids are unique across them (checked), and a
   * cross-stack reference (Fn::ImportValue) resolves to the exporting stack's output.
   */
  static load(cdkOut: string, stackName: string, account: LocalAccount): LocalTemplate {
    const files = readdirSync(cdkOut).filter(
      (file) => file === `${stackName}.template.json` || (file.startsWith(`${stackName}-`) && file.endsWith('.template.json')),
    );
    if (!files.includes(`${stackName}.template.json`)) throw new Error(`No ${stackName}.template.json in ${cdkOut}: run \`npm run synth\``);
    const merged: CfnTemplate = { Resources: {}, Outputs: {} };
    for (const file of files.sort()) {
      const template = JSON.parse(readFileSync(path.join(cdkOut, file), 'utf8')) as CfnTemplate;
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (merged.Resources[id]) throw new Error(`Logical id ${id} appears in two stacks (${file})`);
        merged.Resources[id] = resource;
      }
      for (const [id, output] of Object.entries(template.Outputs ?? {})) merged.Outputs![`${file}:${id}`] = output;
    }
    return new LocalTemplate(merged, stackName, cdkOut, account);
  }

  private importValue(name: string): unknown {
    const output = Object.values(this.template.Outputs ?? {}).find((o) => o.Export && this.resolve(o.Export.Name) === name);
    if (!output) throw new Error(`No stack exports ${name}`);
    return this.resolve(output.Value);
  }

  /** Logical ids and resources of one CloudFormation type. */
  ofType(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.template.Resources).filter(([, resource]) => resource.Type === type);
  }

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`Template has no resource ${logicalId}`);
    return resource;
  }

  /** Properties of a resource with every intrinsic resolved. */
  properties(logicalId: string): Record<string, unknown> {
    return this.resolve(this.resource(logicalId).Properties ?? {}) as Record<string, unknown>;
  }

  /** The physical name CloudFormation would give: the explicit one, else the logical id. */
  physicalName(logicalId: string): string {
    const props = this.resource(logicalId).Properties ?? {};
    const explicitKey = Object.keys(props).find((key) =>
      ['TableName', 'FunctionName', 'StateMachineName', 'QueueName', 'LogGroupName', 'RoleName', 'Name'].includes(key),
    );
    const explicit = explicitKey ? this.resolve(props[explicitKey]) : undefined;
    return typeof explicit === 'string' ? explicit : logicalId;
  }

  arn(logicalId: string): string {
    const { region, accountId } = this.account;
    const name = this.physicalName(logicalId);
    switch (this.resource(logicalId).Type) {
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${accountId}:${name}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${accountId}:role/${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${accountId}:log-group:${name}:*`;
      // Policies name keys and buses by ARN (grants, SSESpecification): give them real-shaped ones.
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${region}:${accountId}:key/${name}`;
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${region}:${accountId}:event-bus/${name}`;
      default:
        return `arn:aws:local:${region}:${accountId}:${logicalId}`;
    }
  }

  /** What `Ref` returns for each resource type, as CloudFormation documents it. */
  private ref(logicalId: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': this.account.region,
      'AWS::AccountId': this.account.accountId,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.stackName,
      'AWS::NoValue': '',
    };
    if (logicalId in pseudo) return pseudo[logicalId]!;
    switch (this.resource(logicalId).Type) {
      case 'AWS::StepFunctions::StateMachine':
        return this.arn(logicalId);
      case 'AWS::SQS::Queue':
        return `http://sqs.local/${this.account.accountId}/${this.physicalName(logicalId)}`;
      default:
        return this.physicalName(logicalId);
    }
  }

  private getAtt(logicalId: string, attribute: string): string {
    switch (attribute) {
      case 'Arn':
        return this.arn(logicalId);
      // The real stream ARN comes from DynamoDB Local at run time; this one names the table.
      case 'StreamArn':
        return `${this.arn(logicalId)}/stream/local`;
      case 'Name':
        return this.physicalName(logicalId);
      case 'ApiEndpoint':
        return 'http://127.0.0.1';
      default:
        return `${logicalId}.${attribute}`;
    }
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = object[key];
      switch (key) {
        case 'Ref':
          return this.ref(arg as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? (arg as [string, string]) : (arg as string).split('.');
          return this.getAtt(id!, attribute!);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).join(separator);
        }
        case 'Fn::Sub':
          return this.sub(arg);
        case 'Fn::ImportValue':
          return this.importValue(String(this.resolve(arg)));
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (this.resolve(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, source] = arg as [string, unknown];
          return String(this.resolve(source)).split(separator);
        }
      }
    }
    return Object.fromEntries(keys.map((key) => [key, this.resolve(object[key])]));
  }

  private sub(arg: unknown): string {
    const [text, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
      if (name in variables) return String(this.resolve(variables[name]));
      const [id, attribute] = name.split('.');
      return attribute ? this.getAtt(id!, attribute) : this.ref(id!);
    });
  }

  /** Local ARN → logical id, for any resource whose ARN we handed out. */
  logicalIdOfArn(arn: string): string | undefined {
    return Object.keys(this.template.Resources).find((id) => this.arn(id) === arn);
  }
}
