import { ports, type Ports } from '../care/ports';

/** A workflow step's ports; workflowStep hands them to every step. */
export type StepDeps = Ports;

export const stepDeps = (): StepDeps => ports();
