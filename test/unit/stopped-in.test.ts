import { describe, expect, it } from 'vitest';
import { stoppedIn } from '../../shared/care/operations/stopped-in';

const entered = (type: string, name: string) => ({ type, stateEnteredEventDetails: { name } });

describe('where a failed execution stopped', () => {
  it('is the last state entered when a step failed', () => {
    const newestFirst = [
      { type: 'ExecutionFailed' },
      { type: 'LambdaFunctionFailed' },
      entered('TaskStateEntered', 'Build discharge plan'),
      { type: 'TaskStateExited' },
      entered('TaskStateEntered', 'Screen patient at admission'),
    ];
    expect(stoppedIn(newestFirst)).toEqual({ state: 'Build discharge plan', throughFailState: false });
  });

  it('is the "Needs attention" state before a Fail state, the one whose task is already open', () => {
    const newestFirst = [
      { type: 'ExecutionFailed' },
      entered('FailStateEntered', 'Planning stopped: assessment overdue'),
      { type: 'TaskStateExited' },
      entered('TaskStateEntered', 'Needs attention: assessment overdue'),
      entered('TaskStateEntered', "Await care manager's assessment"),
    ];
    expect(stoppedIn(newestFirst)).toEqual({ state: 'Needs attention: assessment overdue', throughFailState: true });
  });

  it('is unknown before any state was entered', () => {
    expect(stoppedIn([{ type: 'ExecutionFailed' }, { type: 'ExecutionStarted' }])).toBeUndefined();
  });
});
