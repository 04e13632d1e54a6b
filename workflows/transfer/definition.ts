import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { awaitOnRecord, encounterId, step, stopWithOperatorTask } from '../states';

/** The Lambda functions behind the states; the infra construct creates them and passes them in. */
export interface TransferSteps {
  askReceivingFacility: IFunction;
  awaitTransfer: IFunction;
  recordNoAnswer: IFunction;
  sendTransferRecords: IFunction;
  closeTransfer: IFunction;
  compensateTransfer: IFunction;
  openOperatorTask: IFunction;
}

export interface TransferTimeouts {
  /** How long a receiving facility may take to accept or decline. @default 4 hours */
  answer?: Duration;
  /** How long arranging transport may take once a bed is accepted. @default 24 hours */
  transport?: Duration;
  /** How long the receiving facility may take to confirm the arrival. @default 48 hours */
  arrival?: Duration;
}

/** State names are what operators read in the console: change them only with the runbook. */
export const TRANSFER_STATES = {
  ask: 'Ask the next receiving facility',
  anyLeft: 'Any receiving facility left?',
  awaitAnswer: "Await receiving facility's answer",
  noAnswer: 'Receiving facility did not answer in time',
  accepted: 'Did the facility accept?',
  sendRecords: 'Send records to the receiving facility',
  awaitTransport: 'Await transport arrangement',
  awaitArrival: 'Await arrival at the receiving facility',
  close: 'Close the transfer',
  done: 'Transfer complete',
  compensate: 'Release the bed and cancel transport',
  cancelled: 'Transfer cancelled',
  noneAccepted: 'Needs attention: no facility accepted',
  transportOverdue: 'Needs attention: transport not arranged',
  arrivalOverdue: 'Needs attention: arrival not confirmed',
} as const;
const S = TRANSFER_STATES;
const transferId = sfn.JsonPath.stringAt('$.transferId');
const CANCELLED = 'TransferCancelled';

/**
 * Transfer to another facility, as the operator reads it: ask the receiving facilities one at a
 * time (a decline or a silence moves to the next) → send records → await transport → await
 * arrival → close. A cancel at any point (the API fails the waiting state, or the next step
 * sees it) runs the compensation: the bed released, the transport cancelled.
 */
export function buildTransferDefinition(scope: Construct, steps: TransferSteps, timeouts: TransferTimeouts = {}): sfn.IChainable {
  const payload = { encounterId, transferId };
  const ask = step(
    scope,
    S.ask,
    steps.askReceivingFacility,
    payload,
    '$.request',
    'The first facility not yet asked, in the order the team and patient chose.',
  );
  const awaitStep = (name: string, awaiting: 'answer' | 'transport' | 'arrival', timeout: Duration, comment: string) =>
    awaitOnRecord(scope, name, steps.awaitTransfer, {
      payload,
      awaiting,
      timeout: sfn.Timeout.duration(timeout),
      resultPath: `$.${awaiting}`,
      comment,
    });
  const awaitAnswer = awaitStep(
    S.awaitAnswer,
    'answer',
    timeouts.answer ?? Duration.hours(4),
    'The receiving facility accepts or declines through the API (POST …/transfers/{id}/answer).',
  );
  const noAnswer = step(
    scope,
    S.noAnswer,
    steps.recordNoAnswer,
    payload,
    sfn.JsonPath.DISCARD,
    'A silence counts as a decline: recorded as timed out, and the next facility is asked.',
  );
  const sendRecords = step(
    scope,
    S.sendRecords,
    steps.sendTransferRecords,
    payload,
    '$.records',
    'The transition record (FHIR Bundle) for the accepting facility and the PCP.',
  );
  const awaitTransport = awaitStep(
    S.awaitTransport,
    'transport',
    timeouts.transport ?? Duration.hours(24),
    'The care team records the transport (PUT …/transfers/{id}/transport).',
  );
  const awaitArrival = awaitStep(
    S.awaitArrival,
    'arrival',
    timeouts.arrival ?? Duration.hours(48),
    'The receiving facility confirms the arrival (POST …/transfers/{id}/arrival).',
  );
  const close = step(scope, S.close, steps.closeTransfer, payload, sfn.JsonPath.DISCARD, 'The transfer is documented as complete.');
  const done = new sfn.Succeed(scope, S.done, { comment: 'The patient arrived at the receiving facility.' });
  const compensate = step(
    scope,
    S.compensate,
    steps.compensateTransfer,
    payload,
    '$.compensated',
    'Compensation: releases the bed request at the facility that accepted (or was asked) and cancels arranged transport.',
  );
  const cancelled = new sfn.Succeed(scope, S.cancelled, { comment: 'Cancelled and compensated; the record says what was undone.' });
  compensate.next(cancelled);

  const stop = (name: string, error: string, cause: string, caught = true) =>
    stopWithOperatorTask(scope, steps.openOperatorTask, {
      name,
      stopped: name.replace(/^Needs attention: /, 'Transfer stopped: '),
      error,
      cause,
      caught,
    });
  const noneAccepted = stop(
    S.noneAccepted,
    'Transfer.NoFacilityAccepted',
    'Every receiving facility declined or did not answer; choose others with the patient and request again.',
    false,
  );
  const transportOverdue = stop(
    S.transportOverdue,
    'Transfer.TransportOverdue',
    'No transport was arranged in time; the accepted bed may lapse.',
  );
  const arrivalOverdue = stop(
    S.arrivalOverdue,
    'Transfer.ArrivalOverdue',
    'The receiving facility has not confirmed the arrival; call it.',
  );

  awaitAnswer.addCatch(noAnswer, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.error' });
  awaitTransport.addCatch(transportOverdue, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.error' });
  awaitArrival.addCatch(arrivalOverdue, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.error' });
  // A cancel ends every step in the compensation. Anything else that still fails after its retries
  // fails the execution in that step (redrivable; the failed-execution rule opens the operator task).
  for (const task of [ask, awaitAnswer, noAnswer, sendRecords, awaitTransport, awaitArrival, close]) {
    task.addCatch(compensate, { errors: [CANCELLED], resultPath: '$.error' });
  }

  const accepted = new sfn.Choice(scope, S.accepted, { comment: 'A decline moves to the next facility on the list.' })
    .when(sfn.Condition.stringEquals('$.answer.status', 'accepted'), sendRecords)
    .otherwise(ask);
  noAnswer.next(ask);
  sendRecords.next(awaitTransport).next(awaitArrival).next(close).next(done);
  const anyLeft = new sfn.Choice(scope, S.anyLeft, { comment: 'Declines and silences fall through until the list is used up.' })
    .when(sfn.Condition.booleanEquals('$.request.asked', true), awaitAnswer)
    .otherwise(noneAccepted);
  awaitAnswer.next(accepted);
  return sfn.Chain.start(ask).next(anyLeft);
}
