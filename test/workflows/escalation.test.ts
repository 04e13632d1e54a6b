import { describe, expect, it } from 'vitest';
import { escalationIdOf, newTask } from '../../shared/domain/tasks';
import { newId } from '../../shared/ids';
import { taskStore } from '../../shared/store/task-store';
import { syntheticAdmission } from '../fixtures/admissions';
import { editStay } from '../fixtures/discharge-planning';
import { api, localDynamo, localStack } from '../support/clients';

async function runEscalation() {
  const response = await fetch(`${localStack().httpUrl}/_local/schedules/carepath-dev-overdue-task-escalation/run`, { method: 'POST' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { results: Array<{ overdue: number; escalated: number }> }).results[0]!;
}

describe('overdue tasks', () => {
  it('are escalated once to the lead care manager; completed ones and ones not yet due are not', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const lead = (
      await api('POST', `/v1/encounters/${encounterId}/care-team/members`, { name: 'CM Synthetic', role: 'care-manager', addedBy: 'x' })
    ).body;
    expect((await editStay(encounterId, 'PUT', '/care-team/lead', { memberId: lead.memberId })).status).toBe(200);

    const tasks = taskStore(localDynamo(), localStack().tableName);
    const now = new Date();
    const task = (type: 'discharge-order' | 'pharmacist-review' | 'follow-up-contact', dueAt: Date) =>
      newTask(
        { taskId: newId(), facilityId: 'F1', encounterId, type, priority: 'routine', dueAt: dueAt.toISOString(), resumesWorkflow: false },
        now,
      );
    const late = await tasks.open(task('discharge-order', new Date(now.getTime() - 3_600_000)));
    const done = await tasks.open(task('pharmacist-review', new Date(now.getTime() - 3_600_000)));
    const notYet = await tasks.open(task('follow-up-contact', new Date(now.getTime() + 3_600_000)));
    expect((await api('POST', `/v1/tasks/${done.taskId}/complete`, { outcome: 'completed' })).status).toBe(200);

    expect((await runEscalation()).escalated).toBeGreaterThanOrEqual(1);
    const open = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items as Array<Record<string, any>>;
    const escalations = open.filter((t) => t.type === 'escalation');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ assigneeId: lead.memberId, ownerRole: 'care-manager', priority: 'urgent' });
    expect(escalations[0]!.details[0]).toContain(late.taskId);
    expect(open.find((t) => t.taskId === late.taskId)?.escalatedAt).toBeDefined();
    expect(open.find((t) => t.taskId === notYet.taskId)?.escalatedAt).toBeUndefined();

    await runEscalation();
    const again = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items.filter(
      (t: { type: string }) => t.type === 'escalation',
    );
    expect(again).toHaveLength(1);
  });

  it('go with the task they escalate when its reason is gone (a cancelled discharge), and stay when its time simply ran out', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const tasks = taskStore(localDynamo(), localStack().tableName);
    const now = new Date();
    const late = await tasks.open(
      newTask(
        {
          taskId: newId(),
          facilityId: 'F1',
          encounterId,
          type: 'follow-up-contact',
          priority: 'routine',
          dueAt: new Date(now.getTime() - 3_600_000).toISOString(),
          resumesWorkflow: false,
        },
        now,
      ),
    );
    await runEscalation();
    const escalation = await tasks.get(escalationIdOf(late.taskId));
    expect(escalation?.task).toMatchObject({ type: 'escalation', status: 'open' });

    // As closing the follow-up window does: the miss stays escalated.
    const closedWindow = await tasks.open(
      newTask(
        {
          taskId: newId(),
          facilityId: 'F1',
          encounterId,
          type: 'follow-up-visit',
          priority: 'routine',
          dueAt: new Date(now.getTime() - 3_600_000).toISOString(),
          resumesWorkflow: false,
        },
        now,
      ),
    );
    await runEscalation();
    await tasks.cancel(closedWindow, 'follow-up window closed', new Date().toISOString());
    expect((await tasks.get(escalationIdOf(closedWindow.taskId)))?.task).toMatchObject({ type: 'escalation', status: 'open' });

    // As an A13 does with the follow-up tasks of a stay.
    await tasks.cancel(late, 'discharge cancelled (A13)', new Date().toISOString(), { withEscalation: true });
    const open = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items as Array<{
      type: string;
      details?: string[];
    }>;
    expect(open.filter((t) => t.type === 'escalation').map((t) => t.details?.[0])).toEqual([expect.stringContaining(closedWindow.taskId)]);
    expect((await tasks.get(escalationIdOf(late.taskId)))?.task).toMatchObject({
      status: 'cancelled',
      cancelReason: expect.stringContaining('discharge cancelled (A13)'),
    });
  });
});
