import { describe, expect, it } from 'vitest';
import { localStack } from '../support/clients';

describe('local console', () => {
  it('is served by the Step Functions endpoint and reads executions through the same API', async () => {
    const response = await fetch(`${localStack().stepFunctionsUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<title>Carepath local console');
    for (const operation of [
      'ListStateMachines',
      'ListExecutions',
      'DescribeExecution',
      'GetExecutionHistory',
      'DescribeStateMachine',
      'RedriveExecution',
    ]) {
      expect(page).toContain(`'${operation}'`);
    }
  });
});
