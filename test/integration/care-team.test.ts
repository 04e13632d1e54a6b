import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { api } from '../support/clients';

describe('care team and its thread', () => {
  it('adds members, makes a care manager the lead, and keeps the messages in order', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const cm = await api('POST', `/v1/encounters/${encounterId}/care-team/members`, {
      name: 'CM Synthetic',
      role: 'care-manager',
      addedBy: 'CM Synthetic',
    });
    const md = await api('POST', `/v1/encounters/${encounterId}/care-team/members`, {
      name: 'Dr Synthetic',
      role: 'attending-physician',
      addedBy: 'CM Synthetic',
    });
    expect([cm.status, md.status]).toEqual([201, 201]);

    const etag = (await api('GET', `/v1/encounters/${encounterId}`)).headers.get('etag')!;
    const notCm = await api('PUT', `/v1/encounters/${encounterId}/care-team/lead`, { memberId: md.body.memberId }, { 'if-match': etag });
    expect(notCm.status).toBe(400);
    expect(notCm.body.issues[0].field).toBe('memberId');
    const lead = await api('PUT', `/v1/encounters/${encounterId}/care-team/lead`, { memberId: cm.body.memberId }, { 'if-match': etag });
    expect(lead).toMatchObject({ status: 200, body: { leadCareManagerId: cm.body.memberId } });

    const team = await api('GET', `/v1/encounters/${encounterId}/care-team`);
    expect(team.body.leadCareManagerId).toBe(cm.body.memberId);
    expect(team.body.members.map((m: { role: string }) => m.role).sort()).toEqual(['attending-physician', 'care-manager']);

    for (const body of ['Family meeting at 3 pm', 'PT says walker needed']) {
      expect((await api('POST', `/v1/encounters/${encounterId}/care-team/messages`, { author: 'CM Synthetic', body })).status).toBe(201);
    }
    const thread = await api('GET', `/v1/encounters/${encounterId}/care-team/messages`);
    expect(thread.body.items.map((m: { body: string }) => m.body)).toEqual(['Family meeting at 3 pm', 'PT says walker needed']);
  });

  it('names bad fields and hides other facilities', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const bad = await api('POST', `/v1/encounters/${encounterId}/care-team/members`, { name: '', role: 'wizard', addedBy: 'x' });
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['name', 'role']);
    expect((await api('GET', `/v1/encounters/${encounterId}/care-team`, undefined, {}, 'F2')).status).toBe(404);
    expect((await api('POST', `/v1/encounters/${encounterId}/care-team/messages`, { author: 'x', body: 'y' }, {}, 'F2')).status).toBe(404);
  });
});
