import type { SFNClient } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const counted = vi.hoisted(() => [] as Array<[string, Record<string, string>]>);
vi.mock('../../shared/observability/metrics', () => ({
  count: (name: string, dimensions: Record<string, string>) => counted.push([name, dimensions]),
}));
const { startExecutionOnce } = await import('../../shared/care/reactions/start-execution-once');

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:carepath-dev-discharge-planning';
const NOW = new Date('2026-12-03T08:00:00Z');
const client = (answer: () => Promise<unknown>) => ({ send: vi.fn(answer) }) as unknown as SFNClient;

describe('starting an execution once', () => {
  beforeEach(() => {
    counted.length = 0;
  });

  it('counts an execution it really started', async () => {
    expect(
      await startExecutionOnce(
        { sfn: client(async () => ({ executionArn: 'x', startDate: NOW })), stateMachineArn: ARN, now: () => NOW },
        'n',
        {},
      ),
    ).toBe(true);
    expect(counted).toEqual([['WorkflowsStarted', { workflow: 'carepath-dev-discharge-planning' }]]);
  });

  // StartExecution is idempotent: the same name and input of a running execution answer with that
  // execution (its own, earlier start date), not ExecutionAlreadyExists. A stream retry is that case.
  it('does not count an idempotent restart that answers with the running execution', async () => {
    const started = new Date(NOW.getTime() - 60_000);
    expect(
      await startExecutionOnce(
        { sfn: client(async () => ({ executionArn: 'x', startDate: started })), stateMachineArn: ARN, now: () => NOW },
        'n',
        {},
      ),
    ).toBe(false);
    expect(counted).toEqual([]);
  });

  it('does not count a name already taken (ExecutionAlreadyExists), and rethrows anything else', async () => {
    const named = (name: string) => Object.assign(new Error(name), { name });
    expect(
      await startExecutionOnce(
        { sfn: client(async () => Promise.reject(named('ExecutionAlreadyExists'))), stateMachineArn: ARN, now: () => NOW },
        'n',
        {},
      ),
    ).toBe(false);
    await expect(
      startExecutionOnce(
        { sfn: client(async () => Promise.reject(named('ThrottlingException'))), stateMachineArn: ARN, now: () => NOW },
        'n',
        {},
      ),
    ).rejects.toThrow('ThrottlingException');
    expect(counted).toEqual([]);
  });
});
