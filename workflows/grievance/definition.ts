import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { awaitOnRecord, encounterId, step, stopWithOperatorTask } from '../states';

/** The Lambda functions behind the states; the infra construct creates them and passes them in. */
export interface GrievanceSteps {
  openGrievance: IFunction;
  referGrievanceToQio: IFunction;
  awaitGrievance: IFunction;
  escalateGrievance: IFunction;
  closeGrievance: IFunction;
  openOperatorTask: IFunction;
}

/** State names are what operators read in the console: change them only with the runbook. */
export const GRIEVANCE_STATES = {
  open: 'Open the grievance',
  forQio: 'Quality of care or premature discharge?',
  referToQio: 'Refer to the QIO',
  awaitAcknowledgement: 'Await written acknowledgement',
  escalateAcknowledgement: 'Escalate missed acknowledgement',
  awaitDecision: 'Await written decision',
  escalateDecision: 'Escalate missed resolution deadline',
  awaitLateDecision: 'Await written decision after the deadline',
  decidedAlready: 'Already decided in writing?',
  close: 'Close the grievance',
  done: 'Grievance resolved',
  unresolved: 'Needs attention: grievance unresolved',
} as const;
const S = GRIEVANCE_STATES;
const grievanceId = sfn.JsonPath.stringAt('$.grievanceId');

/**
 * Grievances (42 CFR 482.13), as the operator reads it: open (named contact, deadlines) → refer
 * to the QIO when it is about quality of care or a premature discharge → await the written
 * acknowledgement (escalated when its deadline passes) → await the written decision (escalated
 * at its deadline, then awaited further) → close. The deadlines are the waits' timeouts, computed
 * from the facility's policy when each wait begins.
 */
export function buildGrievanceDefinition(scope: Construct, steps: GrievanceSteps): sfn.IChainable {
  const payload = { encounterId, grievanceId };
  const open = step(
    scope,
    S.open,
    steps.openGrievance,
    payload,
    '$.grievance',
    'Deadlines from the policy (acknowledge, resolve in writing), the named contact, and the seconds left to each.',
  );
  const referToQio = step(
    scope,
    S.referToQio,
    steps.referGrievanceToQio,
    payload,
    sfn.JsonPath.DISCARD,
    'Quality-of-care and premature-discharge grievances also go to the QIO: recorded, with a task to send the referral.',
  );
  const awaitStep = (name: string, awaiting: 'acknowledgement' | 'decision', timeout: sfn.Timeout, resultPath: string, comment: string) =>
    awaitOnRecord(scope, name, steps.awaitGrievance, { payload, awaiting, timeout, resultPath, comment });
  const awaitAcknowledgement = awaitStep(
    S.awaitAcknowledgement,
    'acknowledgement',
    sfn.Timeout.at('$.grievance.secondsToAcknowledge'),
    '$.progress',
    'Patient relations acknowledges in writing (POST …/acknowledgement); times out at the acknowledgement deadline.',
  );
  const escalate = (name: string, deadline: 'acknowledgement' | 'resolution') =>
    step(
      scope,
      name,
      steps.escalateGrievance,
      { ...payload, deadline },
      '$.progress',
      'An urgent task for the patient-relations lead; the grievance stays open and is judged late.',
    );
  const escalateAcknowledgement = escalate(S.escalateAcknowledgement, 'acknowledgement');
  const awaitDecision = awaitStep(
    S.awaitDecision,
    'decision',
    sfn.Timeout.at('$.progress.secondsToResolve'),
    '$.decision',
    'The written decision (POST …/decision) closes it; times out at the resolution deadline.',
  );
  const escalateDecision = escalate(S.escalateDecision, 'resolution');
  const awaitLateDecision = awaitStep(
    S.awaitLateDecision,
    'decision',
    sfn.Timeout.duration(Duration.days(60)),
    '$.decision',
    'Still awaited after the escalation; after 60 more days an operator is asked to look.',
  );
  const close = step(
    scope,
    S.close,
    steps.closeGrievance,
    payload,
    '$.closed',
    'Records whether each deadline was kept (the metrics read it).',
  );
  const done = new sfn.Succeed(scope, S.done, { comment: 'The written decision is on record.' });

  const stop = (name: string, error: string, cause: string) =>
    stopWithOperatorTask(scope, steps.openOperatorTask, {
      name,
      stopped: name.replace(/^Needs attention: /, 'Grievance stopped: '),
      error,
      cause,
    });
  const unresolved = stop(
    S.unresolved,
    'Grievance.Unresolved',
    'No written decision 60 days after the resolution deadline; patient relations must act.',
  );

  awaitAcknowledgement.addCatch(escalateAcknowledgement, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.error' });
  awaitDecision.addCatch(escalateDecision, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.error' });
  awaitLateDecision.addCatch(unresolved, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.error' });

  const forQio = new sfn.Choice(scope, S.forQio, {
    comment: "The QIO reviews these for Medicare beneficiaries (the patient's right of appeal).",
  })
    .when(sfn.Condition.booleanEquals('$.grievance.referToQio', true), referToQio)
    .otherwise(awaitAcknowledgement);
  referToQio.next(awaitAcknowledgement);
  // A decision written before the acknowledgement deadline ends the wait at once (it acknowledges too).
  const decidedAlready = new sfn.Choice(scope, S.decidedAlready, { comment: 'A written decision also acknowledges.' })
    .when(sfn.Condition.booleanEquals('$.progress.resolved', true), close)
    .otherwise(awaitDecision);
  awaitAcknowledgement.next(decidedAlready);
  escalateAcknowledgement.next(decidedAlready);
  awaitDecision.next(close);
  escalateDecision.next(awaitLateDecision).next(close);
  close.next(done);
  return sfn.Chain.start(open).next(forQio);
}
