import { afterAll, describe, expect, it } from 'vitest';
import { describeWorkflow } from '../../shared/store/workflow-status';
import { localSfn, localStack } from '../support/clients';

const sfn = localSfn();
afterAll(() => sfn.destroy());

describe('describeWorkflow', () => {
  it('answers NOT_FOUND for an execution Step Functions no longer knows, instead of failing the read', async () => {
    const executionArn = `${localStack().dischargePlanningArn.replace(':stateMachine:', ':execution:')}:forgotten-execution`;
    expect(await describeWorkflow(sfn, executionArn)).toEqual({ executionArn, status: 'NOT_FOUND' });
  });
});
