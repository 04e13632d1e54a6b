import { stores, type Stores } from '../store';

export type StepDeps = Stores & { now: () => Date };

export const stepDeps = (): StepDeps => ({ ...stores(), now: () => new Date() });
