import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../local/auth';
import { currentEtag } from '../../local/seed/stay-part-etag';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { STATES } from '../../workflows/discharge-planning/definition';
import { HAPPY_PATH } from '../fixtures/discharge-planning';
import { statesEntered } from '../support/executions';
import { syntheticAdmission } from '../fixtures/admissions';

/**
 * `npm start --data DIR`, stopped and started again while discharge planning waits for the
 * physician's discharge order (issue 17 item 7a): the order given through the HTTP API after the
 * restart reaches the same execution, which discharges the patient, with no state run twice.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'carepath-restart-'));
const options = {
  cdkOut: process.env.CAREPATH_CDK_OUT ?? 'cdk.out',
  ports: { http: 0, stepFunctions: 0, dynamodb: 0 },
  echoFunctionLogs: false,
  retryIntervalMs: 10,
  dataDir,
};
const poll = { timeout: 30_000, interval: 200 };
let stack: LocalStack;
let token: string;

beforeAll(async () => {
  token = await mintLocalToken({ facilityId: 'F1', clientId: 'test-ehr-f1' });
  stack = await startLocalStack(options);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.httpUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), body: text ? (JSON.parse(text) as any) : undefined };
}

async function openTask(encounterId: string, type: string) {
  let task: any;
  await expect
    .poll(async () => {
      task = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.find(
        (t: { type: string }) => t.type === type,
      );
      return task?.type;
    }, poll)
    .toBe(type);
  return task;
}

/** An edit with its part's If-Match, read again if the workflow changed the part meanwhile. */
async function edit(encounterId: string, method: string, route: string, body: unknown) {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const etag = await currentEtag(api, encounterId, route);
    const response = await api(method, `/v1/encounters/${encounterId}${route}`, body, { 'if-match': etag });
    if (response.status !== 412) return response;
  }
  throw new Error(`${route} stayed 412`);
}

/** What the discharge needs on record (42 CFR 482.43), as test/fixtures/discharge-planning.ts records it. */
async function recordEssentials(encounterId: string) {
  expect(
    (
      await edit(encounterId, 'PUT', '/goals-and-preferences', {
        goals: ['Walk to the mailbox'],
        treatmentPreferences: ['Avoid nursing home'],
        preferredLanguage: 'en',
        interpreterNeeded: false,
        recordedBy: 'CM Synthetic',
      })
    ).status,
  ).toBe(200);
  const medications = [
    {
      drug: 'metoprolol',
      decision: 'continued',
      home: { dose: '25 mg', frequency: 'twice daily' },
      discharge: { dose: '25 mg', frequency: 'twice daily' },
      reason: 'Rate control',
    },
  ];
  expect((await edit(encounterId, 'PUT', '/medication-reconciliation', { medications, reconciledBy: 'PharmD Synthetic' })).status).toBe(
    200,
  );
  const item = await api('POST', `/v1/encounters/${encounterId}/education`, {
    topic: 'Daily weights',
    audience: 'patient',
    language: 'en',
    method: 'demonstration',
  });
  expect(item.status).toBe(201);
  expect(
    (
      await api(
        'PUT',
        `/v1/encounters/${encounterId}/education/${item.body.itemId}/teach-back`,
        { outcome: 'understood', educator: 'RN Synthetic' },
        { 'if-match': item.etag! },
      )
    ).status,
  ).toBe(200);
  const start = new Date(Date.now() + 3 * 86_400_000);
  start.setUTCMinutes(0, 0, 0);
  const slots = await api('POST', `/v1/practitioners/dr-${randomUUID().slice(0, 8)}/slots`, {
    clinic: 'Synthetic Cardiology Clinic',
    slots: [{ start: start.toISOString(), end: new Date(start.getTime() + 30 * 60_000).toISOString() }],
    publishedBy: 'Scheduler Synthetic',
  });
  expect(slots.status).toBe(201);
  expect(
    (
      await api('POST', `/v1/encounters/${encounterId}/appointments`, {
        slotId: slots.body.slots[0].slotId,
        reason: 'Post-discharge follow-up',
        bookedBy: 'CM Synthetic',
      })
    ).status,
  ).toBe(201);
}

describe('a local stack restarted on its data directory', () => {
  it('goes on with discharge planning: the discharge order completed after the restart discharges the patient', async () => {
    const admitted = await api('POST', '/v1/encounters', syntheticAdmission());
    expect(admitted.status).toBe(201);
    const encounterId = admitted.body.encounterId as string;
    const assessment = await openTask(encounterId, 'needs-assessment');
    expect((await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' })).status).toBe(200);
    const order = await openTask(encounterId, 'discharge-order');
    const waiting = (await api('GET', `/v1/encounters/${encounterId}`)).body;
    expect(waiting.workflow).toMatchObject({ status: 'RUNNING', currentState: STATES.awaitOrder });
    const executionArn = waiting.workflow.executionArn as string;

    await stack.stop();
    stack = await startLocalStack(options);

    // The same execution, still waiting where it was; the task still open.
    expect((await api('GET', `/v1/encounters/${encounterId}`)).body.workflow).toMatchObject({
      executionArn,
      status: 'RUNNING',
      currentState: STATES.awaitOrder,
    });
    expect((await openTask(encounterId, 'discharge-order')).taskId).toBe(order.taskId);

    await recordEssentials(encounterId);
    expect((await api('POST', `/v1/tasks/${order.taskId}/complete`, { outcome: 'completed' })).status).toBe(200);

    await expect.poll(async () => (await api('GET', `/v1/encounters/${encounterId}`)).body.workflow?.status, poll).toBe('SUCCEEDED');
    expect((await api('GET', `/v1/encounters/${encounterId}`)).body).toMatchObject({
      status: 'discharged',
      discharge: { disposition: 'home' },
    });
    const sfn = new SFNClient({
      endpoint: stack.stepFunctionsUrl,
      region: stack.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
      // Resumed, not started over: every state of the path entered once.
      expect(await statesEntered(sfn, executionArn)).toEqual(HAPPY_PATH);
    } finally {
      sfn.destroy();
    }
    const closed = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=completed`)).body.items;
    expect(closed.find((t: { type: string }) => t.type === 'discharge-order')).toMatchObject({ resume: 'delivered' });
    // The follow-up workflow it starts runs on the restarted stack.
    await openTask(encounterId, 'follow-up-contact');
  }, 300_000);
});
