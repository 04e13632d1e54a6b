import type { LocalLambdaRuntime } from './lambda-runtime';
import type { LocalTemplate } from './template';

interface LocalSchedule {
  logicalId: string;
  name: string;
  expression: string;
  functionArns: string[];
}

const DAY_MS = 86_400_000;

/**
 * EventBridge schedule rules of the template, run by timers: `rate(n unit)` and daily
 * `cron(m h * * ? *)` (UTC). Any schedule can also be run at once (tests, demos) with `run`,
 * exposed by the local HTTP API at POST /_local/schedules/{rule}/run.
 */
export class LocalSchedules {
  private readonly schedules: LocalSchedule[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    template: LocalTemplate,
    private readonly lambdas: LocalLambdaRuntime,
    private readonly log: (line: string) => void = () => {},
  ) {
    for (const [logicalId] of template.ofType('AWS::Events::Rule')) {
      const p = template.properties(logicalId) as { ScheduleExpression?: string; State?: string; Targets?: Array<{ Arn: string }> };
      if (!p.ScheduleExpression || p.State === 'DISABLED') continue;
      this.schedules.push({
        logicalId,
        name: template.physicalName(logicalId),
        expression: p.ScheduleExpression,
        functionArns: (p.Targets ?? []).map((t) => t.Arn).filter((arn) => arn.includes(':lambda:')),
      });
    }
  }

  list(): Array<{ name: string; expression: string }> {
    return this.schedules.map(({ name, expression }) => ({ name, expression }));
  }

  start(now = () => new Date()): void {
    for (const schedule of this.schedules) {
      const first = firstDelayMs(schedule.expression, now());
      if (first === undefined) {
        this.log(
          `schedule ${schedule.name}: "${schedule.expression}" is not run by timer locally; use POST /_local/schedules/${schedule.name}/run`,
        );
        continue;
      }
      const period = periodMs(schedule.expression)!;
      const fire = () => {
        void this.run(schedule.name).catch((error: Error) => this.log(`schedule ${schedule.name}: ${error.name}`));
        const timer = setTimeout(fire, period);
        timer.unref();
        this.timers.push(timer);
      };
      const timer = setTimeout(fire, first);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Invokes the rule's targets now with a scheduled event, as EventBridge would. */
  async run(nameOrLogicalId: string): Promise<unknown[] | undefined> {
    const schedule = this.schedules.find((s) => s.name === nameOrLogicalId || s.logicalId === nameOrLogicalId);
    if (!schedule) return undefined;
    const event = {
      version: '0',
      id: crypto.randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [`arn:aws:events:us-east-1:000000000000:rule/${schedule.name}`],
      detail: {},
    };
    return Promise.all(schedule.functionArns.map((arn) => this.lambdas.invoke(arn, event)));
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}

function periodMs(expression: string): number | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate)
    return Number(rate[1]) * { minute: 60_000, hour: 3_600_000, day: DAY_MS }[rate[2]!.replace(/s$/, '') as 'minute' | 'hour' | 'day'];
  return /^cron\(\d+ \d+ \* \* \? \*\)$/.test(expression) ? DAY_MS : undefined;
}

function firstDelayMs(expression: string, now: Date): number | undefined {
  const period = periodMs(expression);
  if (period === undefined) return undefined;
  const cron = /^cron\((\d+) (\d+) /.exec(expression);
  if (!cron) return period;
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), Number(cron[2]), Number(cron[1])));
  if (next.getTime() <= now.getTime()) next.setTime(next.getTime() + DAY_MS);
  return next.getTime() - now.getTime();
}
