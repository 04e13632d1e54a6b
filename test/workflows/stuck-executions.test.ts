import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { checkStuckExecutions } from '../../functions/check-stuck-executions/handler';
import { syntheticAdmission } from '../fixtures/admissions';
import { api, localSfn, localStack } from '../support/clients';

const sfn = localSfn();
afterAll(() => sfn.destroy());

const poll = { timeout: 15_000, interval: 100 };
const DAY = 86_400;

// The check reads the running executions through ListExecutions (statusFilter RUNNING), as on
// AWS: an admission's discharge planning is one, waiting on its needs assessment.
describe('the stuck-execution check against the local Step Functions API', () => {
  it('counts a running execution past its limit, and not once it has stopped', async () => {
    const encounterId = (await api('POST', '/v1/encounters', syntheticAdmission())).body.encounterId as string;
    let executionArn = '';
    await expect
      .poll(async () => {
        executionArn = (await api('GET', `/v1/encounters/${encounterId}`)).body.workflow?.executionArn ?? '';
        return executionArn;
      }, poll)
      .toContain(encounterId);
    const machines = [
      { workflow: 'carepath-dev-discharge-planning', stateMachineArn: localStack().dischargePlanningArn, limitSeconds: 60 * DAY },
    ];

    const today = await checkStuckExecutions({ sfn, machines, now: () => new Date() });
    expect(today['carepath-dev-discharge-planning']!.running).toBeGreaterThanOrEqual(1);
    expect(today['carepath-dev-discharge-planning']!.overLimit).toBe(0);

    // Seen 61 days from now, every execution running today is past the 60-day limit.
    const later = await checkStuckExecutions({ sfn, machines, now: () => new Date(Date.now() + 61 * DAY * 1000) });
    expect(later['carepath-dev-discharge-planning']!.overLimit).toBe(later['carepath-dev-discharge-planning']!.running);
    expect(later['carepath-dev-discharge-planning']!.oldestAgeSeconds).toBeGreaterThan(60 * DAY);

    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Test.Stopped', cause: 'stopped by test' }));
    await expect.poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, poll).toBe('ABORTED');
    const afterStop = await checkStuckExecutions({ sfn, machines, now: () => new Date(Date.now() + 61 * DAY * 1000) });
    expect(afterStop['carepath-dev-discharge-planning']!.running).toBe(later['carepath-dev-discharge-planning']!.running - 1);
  });
});
