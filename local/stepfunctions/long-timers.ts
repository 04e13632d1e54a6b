/**
 * Node's timers overflow above 2^31-1 ms (24.8 days) and then fire at once. Step Functions
 * waits up to a year (a Wait until the end of a 30-day follow-up window, say), and the
 * interpreter sleeps with a plain setTimeout, so this process's setTimeout chains long delays
 * instead. Only delays that would otherwise be wrong are touched.
 */
const MAX_DELAY_MS = 2_147_483_647;

class LongTimer {
  private current: ReturnType<typeof setTimeout> | undefined;
  private referenced = true;

  constructor(
    private readonly set: typeof setTimeout,
    private readonly clear: typeof clearTimeout,
    callback: () => void,
    private readonly dueAt: number,
  ) {
    const arm = () => {
      const left = this.dueAt - Date.now();
      this.current = this.set(left > MAX_DELAY_MS ? arm : callback, Math.min(Math.max(left, 0), MAX_DELAY_MS));
      if (!this.referenced) this.current.unref();
    };
    arm();
  }

  cancel(): void {
    if (this.current) this.clear(this.current);
  }

  unref(): this {
    this.referenced = false;
    this.current?.unref();
    return this;
  }

  ref(): this {
    this.referenced = true;
    this.current?.ref();
    return this;
  }

  hasRef(): boolean {
    return this.referenced;
  }
}

let installed = false;

export function installLongTimers(): void {
  if (installed) return;
  installed = true;
  const set = globalThis.setTimeout;
  const clear = globalThis.clearTimeout;
  const longSet = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    typeof ms === 'number' && ms > MAX_DELAY_MS
      ? new LongTimer(set, clear, () => callback(...args), Date.now() + ms)
      : set(callback, ms, ...args);
  const longClear = (timer: unknown) => (timer instanceof LongTimer ? timer.cancel() : clear(timer as Parameters<typeof clearTimeout>[0]));
  globalThis.setTimeout = Object.assign(longSet, set) as unknown as typeof setTimeout;
  globalThis.clearTimeout = longClear as typeof clearTimeout;
}
