/** Clocks differ a little between hospital systems; more than five minutes ahead is an error. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export const isInTheFuture = (iso: string, now: Date = new Date()): boolean =>
  new Date(iso).getTime() > now.getTime() + CLOCK_SKEW_MS;
