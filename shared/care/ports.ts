import { stores, type Stores } from '../store';

/**
 * What a use case is given rather than reaching for: the repositories and the clock (issue 18
 * item 2). The edges build them — httpRoute for a route, workflowStep for a state, a stream or
 * schedule handler at its top — so a use case runs as well on other ports (a fixed clock, stores
 * over another table) as on these.
 */
export type Ports = Stores & { now: () => Date };

/** The wall clock: the one `now` of the running system, for the ports and any edge that takes no ports. */
export const systemNow = (): Date => new Date();

let cached: Ports | undefined;

/** The ports of this Lambda, built once per cold start. */
export function ports(): Ports {
  cached ??= { ...stores(), now: systemNow };
  return cached;
}
