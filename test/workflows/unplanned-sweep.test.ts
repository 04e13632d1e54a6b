import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api, localStack } from '../support/clients';

const poll = { timeout: 15_000, interval: 100 };
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function runSweep() {
  const response = await fetch(`${localStack().httpUrl}/_local/schedules/carepath-dev-unplanned-inpatient-sweep/run`, { method: 'POST' });
  expect(response.status).toBe(200);
  return (await response.json()) as { results: Array<{ candidates: number; opened: number }> };
}

async function taskTypes(encounterId: string) {
  return (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.map((t: { type: string }) => t.type).sort();
}

describe('daily sweep for inpatients without a discharge plan', () => {
  it('flags an inpatient admitted over 24 h ago with no plan, once; not a recent one, nor one with a plan', async () => {
    const overdue = (await api('POST', '/v1/encounters', syntheticAdmission({ admittedAt: daysAgo(2) }))).body.encounterId;
    const recent = (await api('POST', '/v1/encounters', syntheticAdmission({ admittedAt: daysAgo(0.1) }))).body.encounterId;
    const planned = (await api('POST', '/v1/encounters', syntheticAdmission({ admittedAt: daysAgo(3) }))).body.encounterId;
    const outpatient = (await api('POST', '/v1/encounters', syntheticAdmission({ admittedAt: daysAgo(3), class: 'outpatient' }))).body
      .encounterId;

    // Give the third one its plan: complete its assessment.
    await expect.poll(() => taskTypes(planned), poll).toEqual(['needs-assessment']);
    const [assessment] = (await api('GET', `/v1/tasks?encounterId=${planned}&status=open`)).body.items;
    await api('POST', `/v1/tasks/${assessment.taskId}/complete`, { outcome: 'completed' });
    await expect.poll(async () => (await api('GET', `/v1/encounters/${planned}`)).body.dischargePlan?.path, poll).toBe('home');

    const first = await runSweep();
    expect(first.results[0]!.opened).toBeGreaterThanOrEqual(1);
    expect(await taskTypes(overdue)).toContain('plan-overdue');
    expect(await taskTypes(recent)).not.toContain('plan-overdue');
    expect(await taskTypes(planned)).not.toContain('plan-overdue');
    expect(await taskTypes(outpatient)).not.toContain('plan-overdue');

    await runSweep();
    const overdueTasks = (await api('GET', `/v1/tasks?encounterId=${overdue}`)).body.items.filter(
      (t: { type: string }) => t.type === 'plan-overdue',
    );
    expect(overdueTasks).toHaveLength(1);
  });

  it('is a daily EventBridge schedule in the template (local: timer plus this hook)', async () => {
    expect((await fetch(`${localStack().httpUrl}/_local/schedules/no-such-rule/run`, { method: 'POST' })).status).toBe(404);
  });
});
