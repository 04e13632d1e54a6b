import { describe, expect, it } from 'vitest';
import { breaches } from '../../shared/domain/monitoring';
import { syntheticAdmission } from '../fixtures/admissions';
import { api } from '../support/clients';

const HEART_RATE = '8867-4';
const PAIN = '72514-3';

describe('threshold checks (domain)', () => {
  it.each([
    [45, [{ limit: 'min', threshold: 50 }]],
    [50, []],
    [110, []],
    [111, [{ limit: 'max', threshold: 110 }]],
  ])('heart rate %i → %j', (value, expected) => {
    const found = breaches({ code: HEART_RATE, value, unit: '/min' }, [{ code: HEART_RATE, unit: '/min', min: 50, max: 110 }]);
    expect(found).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  it('never compares across units', () => {
    expect(breaches({ code: HEART_RATE, value: 200, unit: 'Hz' }, [{ code: HEART_RATE, unit: '/min', max: 110 }])).toEqual([]);
  });
});

describe('monitoring through the API', () => {
  it('an out-of-range value raises an alert and a review task for the lead care manager; trends read per code', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const cm = (await api('POST', `/v1/encounters/${encounterId}/care-team/members`, { name: 'CM', role: 'care-manager', addedBy: 'CM' }))
      .body;
    const etag = (await api('GET', `/v1/encounters/${encounterId}`)).headers.get('etag')!;
    await api('PUT', `/v1/encounters/${encounterId}/care-team/lead`, { memberId: cm.memberId }, { 'if-match': etag });
    await api(
      'PUT',
      `/v1/encounters/${encounterId}/care-plan`,
      { status: 'active', problems: [], thresholds: [{ code: PAIN, unit: '{score}', max: 6, label: 'Pain above 6/10' }], author: 'CM' },
      { 'if-match': '"0"' },
    );

    const calm = await api('POST', `/v1/encounters/${encounterId}/observations`, {
      code: PAIN,
      value: 4,
      unit: '{score}',
      observedAt: '2026-11-23T08:00:00Z',
      recordedBy: 'RN',
    });
    expect(calm).toMatchObject({ status: 201, body: { alerts: [] } });
    const high = await api('POST', `/v1/encounters/${encounterId}/observations`, {
      code: PAIN,
      value: 8,
      unit: '{score}',
      observedAt: '2026-11-23T12:00:00Z',
      recordedBy: 'RN',
    });
    expect(high.body.alerts).toEqual([
      expect.objectContaining({ breach: expect.objectContaining({ limit: 'max', threshold: 6, label: 'Pain above 6/10' }) }),
    ]);

    const tasks = (await api('GET', `/v1/tasks?encounterId=${encounterId}&status=open`)).body.items;
    expect(tasks).toEqual([
      expect.objectContaining({ type: 'review-care-plan', ownerRole: 'care-manager', assigneeId: cm.memberId, priority: 'urgent' }),
    ]);
    expect((await api('GET', `/v1/encounters/${encounterId}/alerts`)).body.items).toHaveLength(1);

    const trend = await api('GET', `/v1/encounters/${encounterId}/observations?code=${PAIN}`);
    expect(trend.body.trend).toEqual({ count: 2, first: 4, last: 8, min: 4, max: 8, change: 4 });
  });

  it('names each bad field', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }))).body;
    const response = await api('POST', `/v1/encounters/${encounterId}/observations`, {
      code: 'pulse',
      value: 'fast',
      unit: '',
      observedAt: 'now',
      recordedBy: 'RN',
    });
    expect(response.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['code', 'observedAt', 'unit', 'value']);
    // Found by the generated-input test: a number DynamoDB cannot store was a 500.
    const huge = await api('POST', `/v1/encounters/${encounterId}/observations`, {
      code: '8867-4',
      value: 1.7976931348623151e308,
      unit: '/min',
      observedAt: '2026-11-23T08:00:00Z',
      recordedBy: 'RN',
    });
    expect(huge).toMatchObject({ status: 400, body: { issues: [{ field: 'value' }] } });
  });
});
