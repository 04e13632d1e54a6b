import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { encounterId, step } from '../states';

/** The Lambda functions behind the states; the infra construct creates them and passes them in. */
export interface FollowUpSteps {
  planFollowUp: IFunction;
  checkFollowUp: IFunction;
  escalateMissedFollowUp: IFunction;
  sendSatisfactionSurvey: IFunction;
  closeFollowUp: IFunction;
}

/** State names are what operators read in the console: change them only with the runbook. */
export const FOLLOW_UP_STATES = {
  plan: 'Plan follow-up deadlines',
  qualifies: 'Does the discharge qualify for TCM?',
  notEligible: 'Not eligible: no TCM for this discharge',
  waitContact: 'Wait for the 2-business-day contact deadline',
  checkContact: 'Check interactive contact',
  contactInTime: 'Contact made or attempted in time?',
  escalateContact: 'Escalate missed contact',
  sendSurvey: 'Send the satisfaction survey',
  waitVisit: 'Wait for the face-to-face visit deadline',
  checkVisit: 'Check follow-up visit and medication reconciliation',
  visitInTime: 'Visit and medication reconciliation in time?',
  escalateVisit: 'Escalate missed visit',
  waitWindow: 'Wait for the 30-day window to close',
  close: 'Close the follow-up window',
  done: 'Transitional care complete',
} as const;
const S = FOLLOW_UP_STATES;

/**
 * Post-discharge follow-up (Transitional Care Management, CPT 99495/99496), as the operator reads
 * it: plan the deadlines (2 business days with the facility's holidays, visit day 7 or 14,
 * 30-day window) → wait for each deadline → check what was documented → escalate what was
 * missed → close the window. People document through the API meanwhile; the execution only
 * judges at each deadline, so nothing here waits on a person and nothing can stall.
 */
export function buildFollowUpDefinition(scope: Construct, steps: FollowUpSteps): sfn.IChainable {
  const plan = step(
    scope,
    S.plan,
    steps.planFollowUp,
    { encounterId },
    '$.followUp',
    'Deadlines from the discharge time, the risk tier (7 days for high complexity, else 14) and the facility holiday calendar; opens the contact and visit tasks.',
  );

  const check = (name: string, checkpoint: 'contact' | 'visit', comment: string) =>
    step(scope, name, steps.checkFollowUp, { encounterId, checkpoint }, `$.${checkpoint}`, comment);
  const escalate = (name: string, checkpoint: 'contact' | 'visit', comment: string) =>
    step(scope, name, steps.escalateMissedFollowUp, { encounterId, checkpoint }, sfn.JsonPath.DISCARD, comment);

  const waitContact = new sfn.Wait(scope, S.waitContact, {
    time: sfn.WaitTime.timestampPath('$.followUp.contactDueBy'),
    comment: 'Until the end of the 2nd business day after discharge (weekends and holidays skipped).',
  });
  const checkContact = check(
    S.checkContact,
    'contact',
    'Reached in time (met), or at least 2 documented attempts in time (attempted), or missed.',
  );
  const escalateContact = escalate(
    S.escalateContact,
    'contact',
    'Missed: the lead care manager gets an urgent task; the contact task stays open so a late contact is still documented.',
  );
  const sendSurvey = step(
    scope,
    S.sendSurvey,
    steps.sendSatisfactionSurvey,
    { encounterId },
    sfn.JsonPath.DISCARD,
    'HCAHPS-style survey, more than 48 hours after discharge; the answers come back through the API.',
  );
  const waitVisit = new sfn.Wait(scope, S.waitVisit, {
    time: sfn.WaitTime.timestampPath('$.followUp.visitDueBy'),
    comment: 'Until day 7 (high complexity) or day 14 after discharge.',
  });
  const checkVisit = check(
    S.checkVisit,
    'visit',
    'The face-to-face visit by its deadline, medications reconciled no later than the visit.',
  );
  const escalateVisit = escalate(S.escalateVisit, 'visit', 'Missed visit or reconciliation: an urgent task for the lead care manager.');
  const waitWindow = new sfn.Wait(scope, S.waitWindow, {
    time: sfn.WaitTime.timestampPath('$.followUp.windowClosesAt'),
    comment: 'The TCM service period: the discharge day and the 29 days after it.',
  });
  const close = step(
    scope,
    S.close,
    steps.closeFollowUp,
    { encounterId },
    '$.closed',
    'Records the outcome of the follow-up (and a readmission within the window) and closes its open tasks.',
  );
  const done = new sfn.Succeed(scope, S.done, { comment: 'Every deadline judged and documented; the window is closed.' });

  const qualifies = new sfn.Choice(scope, S.qualifies, {
    comment: 'TCM covers discharges to a community setting; not to hospice, another hospital, or after a death.',
  })
    .when(
      sfn.Condition.booleanEquals('$.followUp.eligible', false),
      new sfn.Succeed(scope, S.notEligible, { comment: 'Documented on the encounter; nothing to follow.' }),
    )
    .otherwise(waitContact);
  const contactInTime = new sfn.Choice(scope, S.contactInTime, { comment: 'A readmission ends the follow-up of this stay.' })
    .when(sfn.Condition.booleanEquals('$.contact.readmitted', true), close)
    .when(sfn.Condition.stringEquals('$.contact.outcome', 'missed'), escalateContact)
    .otherwise(sendSurvey);
  escalateContact.next(sendSurvey);
  sendSurvey.next(waitVisit);
  const visitInTime = new sfn.Choice(scope, S.visitInTime, { comment: 'A readmission ends the follow-up of this stay.' })
    .when(sfn.Condition.booleanEquals('$.visit.readmitted', true), close)
    .when(sfn.Condition.booleanEquals('$.visit.onTime', false), escalateVisit)
    .otherwise(waitWindow);
  escalateVisit.next(waitWindow);
  waitVisit.next(checkVisit).next(visitInTime);
  waitWindow.next(close).next(done);
  waitContact.next(checkContact).next(contactInTime);
  return sfn.Chain.start(plan).next(qualifies);
}
