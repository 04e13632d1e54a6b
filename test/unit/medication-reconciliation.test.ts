import { describe, expect, it } from 'vitest';
import { INTERACTION_RULES } from '../../shared/domain/medications/interaction-table';
import { acknowledge, decisionProblems, findInteractions, mayAcknowledge, reconcile, type ReconciledMedication, type Recorder } from '../../shared/domain/medications/reconciliation';

const now = new Date('2026-11-23T10:00:00Z');
const pharmacist: Recorder = { who: 'client-1/pharmd-synthetic', roles: ['pharmacist'] };
const med = (drug: string, decision: ReconciledMedication['decision'] = 'continued'): ReconciledMedication => ({
  drug,
  decision,
  ...(decision !== 'new' ? { home: { dose: '10 mg' } } : {}),
  ...(decision !== 'stopped' ? { discharge: { dose: decision === 'changed' ? '20 mg' : '10 mg' } } : {}),
  reason: 'as assessed',
});

describe('interaction check', () => {
  it.each([
    ['dextroamphetamine', 'phenelzine', 'amphetamine-maoi'],
    ['sertraline', 'selegiline', 'ssri-maoi'],
    ['duloxetine', 'linezolid', 'snri-maoi'],
    ['amitriptyline', 'tranylcypromine', 'tricyclic-maoi'],
    ['tramadol', 'phenelzine', 'opioid-maoi'],
    ['sumatriptan', 'isocarboxazid', 'triptan-maoi'],
    ['tranylcypromine', 'procarbazine', 'tranylcypromine-procarbazine'],
    ['dofetilide', 'sotalol', 'qt-qt'],
    ['atazanavir', 'omeprazole', 'atazanavir-ppi'],
    ['febuxostat', 'azathioprine', 'febuxostat-thiopurine'],
    ['irinotecan', 'ketoconazole', 'irinotecan-cyp3a4'],
    ['simvastatin', 'clarithromycin', 'statin-cyp3a4'],
    ['lovastatin', 'darunavir', 'lovastatin-pi'],
    ['ergotamine', 'ritonavir', 'ergot-cyp3a4'],
    ['rifampin', 'atazanavir', 'inducer-pi'],
    ['tizanidine', 'ciprofloxacin', 'tizanidine-cyp1a2'],
    ['ramelteon', 'fluvoxamine', 'ramelteon-fluvoxamine'],
    ['sildenafil', 'isosorbide mononitrate', 'pde5-nitrate'],
  ])('%s + %s is high severity (%s)', (a, b, ruleId) => {
    const found = findInteractions([a, b]);
    expect(found).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId, severity: 'high' })]));
    expect(findInteractions([b, a]).map((i) => i.interactionId)).toEqual(found.map((i) => i.interactionId));
  });

  it.each([
    ['warfarin', 'ibuprofen', 'warfarin-nsaid'],
    ['warfarin', 'sulfamethoxazole', 'warfarin-smx'],
    ['methotrexate', 'naproxen', 'methotrexate-nsaid'],
    ['lithium', 'lisinopril', 'lithium-acei'],
    ['lithium', 'losartan', 'lithium-arb'],
    ['amiodarone', 'digoxin', 'amiodarone-digoxin'],
    ['verapamil', 'metoprolol', 'verapamil-beta-blocker'],
  ])('%s + %s is moderate (%s)', (a, b, ruleId) => {
    expect(findInteractions([a, b])).toEqual([expect.objectContaining({ ruleId, severity: 'moderate' })]);
  });

  it('finds nothing between unrelated drugs, a drug and itself, or case variants', () => {
    expect(findInteractions(['metformin', 'lisinopril', 'atorvastatin'])).toEqual([]);
    expect(findInteractions(['Sotalol', 'sotalol'])).toEqual([]);
    expect(findInteractions(['Sertraline', 'PHENELZINE'])).toHaveLength(1);
  });

  it('every rule side names a known class or a drug', () => {
    for (const rule of INTERACTION_RULES) for (const side of [rule.a, rule.b]) expect(side).toMatch(/^(class:[a-z0-9-]+|[a-z][a-z' -]+)$/);
  });
});

describe('reconciliation', () => {
  it('checks only what the patient goes home on', () => {
    const stoppedMaoi = reconcile([med('sertraline'), med('phenelzine', 'stopped')], pharmacist, now);
    expect(stoppedMaoi).toMatchObject({ status: 'complete', interactions: [] });
    const blocked = reconcile([med('sertraline'), med('phenelzine', 'new')], pharmacist, now);
    expect(blocked).toMatchObject({ status: 'blocked', interactions: [{ ruleId: 'ssri-maoi', drugs: ['phenelzine', 'sertraline'] }] });
  });

  it('unblocks when every high-severity pair is acknowledged, and keeps acknowledgements across re-reconciliation', () => {
    const blocked = reconcile([med('sertraline'), med('phenelzine', 'new'), med('warfarin'), med('ibuprofen', 'new')], pharmacist, now);
    expect(blocked.status).toBe('blocked');
    const high = blocked.interactions.find((i) => i.severity === 'high')!;
    const ack = { by: { ...pharmacist, name: 'PharmD Synthetic' }, reason: 'Psychiatry supervising the cross-taper', at: now.toISOString() };
    const done = acknowledge(blocked, high.interactionId, ack);
    expect(done.status).toBe('complete');
    const again = reconcile([med('sertraline', 'changed'), med('phenelzine', 'new')], pharmacist, now, done);
    expect(again).toMatchObject({ status: 'complete', interactions: [{ acknowledgement: ack }] });
    expect(() => acknowledge(done, 'nope', ack)).toThrow(/No such interaction/);
  });

  it.each([
    [['pharmacist'], 'high', true],
    [['physician'], 'high', true],
    [['nurse'], 'high', false],
    [['integration-client'], 'high', false],
    [['nurse', 'integration-client'], 'high', false],
    [['nurse'], 'moderate', true],
    [['integration-client'], 'moderate', true],
  ] as const)('the token roles %j may acknowledge a %s interaction: %s', (roles, severity, allowed) => {
    expect(mayAcknowledge(roles, severity)).toBe(allowed);
  });

  it('does not carry over an acknowledgement stored with a self-declared role', () => {
    const blocked = reconcile([med('sertraline'), med('phenelzine', 'new')], pharmacist, now);
    const legacy = { role: 'pharmacist', by: 'PharmD', reason: 'Self-declared in the body', at: now.toISOString() } as never;
    const stored = { ...blocked, interactions: blocked.interactions.map((i) => ({ ...i, acknowledgement: legacy })), status: 'complete' as const };
    expect(reconcile(stored.medications, pharmacist, now, stored)).toMatchObject({ status: 'blocked', interactions: [{ ruleId: 'ssri-maoi' }] });
    expect(reconcile(stored.medications, pharmacist, now, stored).interactions[0]!.acknowledgement).toBeUndefined();
  });

  it('names what each decision needs', () => {
    expect(decisionProblems([{ drug: 'x', decision: 'new', home: { dose: '1' }, reason: 'r' }])).toEqual([
      { index: 0, field: 'home', reason: 'must be absent for a new medication' },
      { index: 0, field: 'discharge', reason: 'is required when the decision is new' },
    ]);
    expect(decisionProblems([{ drug: 'x', decision: 'changed', home: { dose: '1' }, discharge: { dose: '1' }, reason: 'r' }])).toEqual([
      { index: 0, field: 'discharge', reason: 'is the same as home: the decision is continued, not changed' },
    ]);
    expect(decisionProblems([med('a'), med('b', 'changed'), med('c', 'new'), med('d', 'stopped')])).toEqual([]);
  });
});
