import { randomUUID } from 'node:crypto';
import type { LocalTemplate } from './template';

export interface RecordedEvent {
  id: string;
  time: string;
  eventBusName: string;
  source: string;
  detailType: string;
  detail: unknown;
}

interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
}

/**
 * EventBridge's PutEvents for the buses the template declares. Nothing subscribes locally
 * (notifiers are a deployment's choice); events are kept, newest last, for tests, the console
 * and `GET /_local/events`. Entries fail one by one as on AWS (unknown bus, bad detail).
 */
export class LocalEventBridge {
  private readonly events: RecordedEvent[] = [];
  private readonly buses: Set<string>;

  constructor(
    template: LocalTemplate,
    private readonly options: { maxEvents?: number; log?: (line: string) => void } = {},
  ) {
    this.buses = new Set(['default', ...template.ofType('AWS::Events::EventBus').map(([logicalId]) => template.physicalName(logicalId))]);
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
    const event: RecordedEvent = { id: randomUUID(), time: new Date().toISOString(), eventBusName: bus, source: entry.Source, detailType: entry.DetailType, detail };
    this.events.push(event);
    if (this.events.length > (this.options.maxEvents ?? 5000)) this.events.shift();
    this.options.log?.(`[eventbridge] ${bus}: ${entry.DetailType}`);
    return { EventId: event.id };
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
