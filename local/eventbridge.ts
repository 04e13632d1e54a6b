import { randomUUID } from 'node:crypto';
import { matchesFilterPattern } from './filter-pattern';
import type { LocalTemplate } from './template';

export interface RecordedEvent {
  id: string;
  time: string;
  eventBusName: string;
  source: string;
  detailType: string;
  detail: unknown;
}

/** A rule of the template matching events by pattern (schedule rules are LocalSchedules'). */
interface PatternRule {
  name: string;
  bus: string;
  pattern: Record<string, unknown>;
  targets: Array<{ arn: string; retryAttempts: number }>;
}

type InvokeLambda = (functionArn: string, event: unknown) => Promise<unknown>;

interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
}

/**
 * EventBridge for the buses the template declares: PutEvents from the functions, the events AWS
 * services send (Step Functions status changes), and the template's pattern rules delivering
 * them to Lambda targets (asynchronously, retried as the target's RetryPolicy says). Events are
 * kept, newest last, for tests, the console and `GET /_local/events`. Entries fail one by one
 * as on AWS (unknown bus, bad detail).
 */
export class LocalEventBridge {
  private readonly events: RecordedEvent[] = [];
  private readonly buses: Set<string>;
  private readonly rules: PatternRule[] = [];
  private invokeLambda: InvokeLambda | undefined;
  private readonly deliveries = new Set<Promise<void>>();
  private closed = false;

  constructor(
    template: LocalTemplate,
    private readonly options: { maxEvents?: number; log?: (line: string) => void } = {},
  ) {
    this.buses = new Set(['default', ...template.ofType('AWS::Events::EventBus').map(([logicalId]) => template.physicalName(logicalId))]);
    for (const [logicalId] of template.ofType('AWS::Events::Rule')) {
      const p = template.properties(logicalId) as {
        EventPattern?: Record<string, unknown>;
        EventBusName?: string;
        State?: string;
        Targets?: Array<{ Arn: string; RetryPolicy?: { MaximumRetryAttempts?: number } }>;
      };
      if (!p.EventPattern || p.State === 'DISABLED') continue;
      this.rules.push({
        name: template.physicalName(logicalId),
        bus: p.EventBusName?.split('/').at(-1) ?? 'default',
        pattern: p.EventPattern,
        targets: (p.Targets ?? [])
          .filter((t) => t.Arn.includes(':lambda:'))
          .map((t) => ({ arn: t.Arn, retryAttempts: t.RetryPolicy?.MaximumRetryAttempts ?? 185 })),
      });
    }
  }

  /** Where rules deliver to Lambda targets; until set (the runtime starts after), nothing is delivered. */
  deliverTo(invokeLambda: InvokeLambda): void {
    this.invokeLambda = invokeLambda;
  }

  /** An event an AWS service sends on the default bus (e.g. source `aws.states`). */
  putServiceEvent(source: string, detailType: string, detail: unknown, resources: string[] = []): void {
    this.record({ id: randomUUID(), time: new Date().toISOString(), eventBusName: 'default', source, detailType, detail }, resources);
  }

  /** Stops retrying and resolves once every delivery under way has ended. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  putEvents(input: { Entries?: PutEventsEntry[] }) {
    const entries = (input.Entries ?? []).map((entry) => this.put(entry));
    return { FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length, Entries: entries };
  }

  private put(entry: PutEventsEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const bus = entry.EventBusName?.split('/').at(-1) ?? 'default';
    if (!this.buses.has(bus)) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
    if (!entry.Source || !entry.DetailType) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source and DetailType are required.' };
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail ?? '{}');
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const event: RecordedEvent = {
      id: randomUUID(),
      time: new Date().toISOString(),
      eventBusName: bus,
      source: entry.Source,
      detailType: entry.DetailType,
      detail,
    };
    this.record(event, []);
    return { EventId: event.id };
  }

  private record(event: RecordedEvent, resources: string[]): void {
    this.events.push(event);
    if (this.events.length > (this.options.maxEvents ?? 5000)) this.events.shift();
    // The envelope targets receive, as EventBridge builds it.
    const envelope = {
      version: '0',
      id: event.id,
      'detail-type': event.detailType,
      source: event.source,
      account: '000000000000',
      time: event.time,
      region: 'us-east-1',
      resources,
      detail: event.detail,
    };
    const matched = this.rules.filter((rule) => rule.bus === event.eventBusName && matchesFilterPattern(rule.pattern, envelope));
    // Service events (every execution's status changes) are only worth a line when a rule takes them.
    if (event.source !== 'aws.states' || matched.length > 0) {
      this.options.log?.(
        `[eventbridge] ${event.eventBusName}: ${event.detailType}${matched.length ? ` → ${matched.map((r) => r.name).join(', ')}` : ''}`,
      );
    }
    for (const rule of matched) {
      for (const target of rule.targets) {
        const delivery = this.deliver(rule.name, target, envelope).finally(() => this.deliveries.delete(delivery));
        this.deliveries.add(delivery);
      }
    }
  }

  private async deliver(rule: string, target: PatternRule['targets'][number], envelope: unknown): Promise<void> {
    for (let attempt = 0; this.invokeLambda && !this.closed; attempt += 1) {
      try {
        await this.invokeLambda(target.arn, envelope);
        return;
      } catch (error) {
        if (attempt >= target.retryAttempts) {
          this.options.log?.(`[eventbridge] rule ${rule}: delivery failed after ${attempt + 1} attempts (${(error as Error).name})`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2000)));
      }
    }
  }

  /** Newest last; optionally only one detail type or one encounter (detail.encounterId). */
  list(filter: { detailType?: string; encounterId?: string } = {}): RecordedEvent[] {
    return this.events.filter(
      (e) =>
        (!filter.detailType || e.detailType === filter.detailType) &&
        (!filter.encounterId || (e.detail as { encounterId?: string } | null)?.encounterId === filter.encounterId),
    );
  }
}
