import { describe, expect, it } from 'vitest';
import { INTERACTION_RULES } from '../../shared/domain/medications/interaction-table';
import {
  acknowledge,
  confirmMedication,
  decisionProblems,
  findDuplications,
  findInteractions,
  mayAcknowledge,
  mayConfirm,
  normalise,
  reconcile,
  type MedicationInput,
  type ReconciledMedication,
  type Recorder,
} from '../../shared/domain/medications/reconciliation';
import { classMembers, INGREDIENTS, ingredientsOf } from '../../shared/domain/medications/vocabulary';

const now = new Date('2026-11-23T10:00:00Z');
const pharmacist: Recorder = { who: 'client-1/pharmd-synthetic', roles: ['pharmacist'] };
const med = (drug: string, decision: ReconciledMedication['decision'] = 'continued'): ReconciledMedication & MedicationInput => ({
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
    ['methotrexate', 'naproxen', 'methotrexate-nsaid'],
    ['spironolactone', 'lisinopril', 'k-sparing-acei-arb'],
    ['Eliquis', 'Plavix', 'anticoagulant-antiplatelet'],
    ['lithium', 'lisinopril', 'lithium-acei'],
    ['lithium', 'losartan', 'lithium-arb'],
    ['amiodarone', 'digoxin', 'amiodarone-digoxin'],
    ['verapamil', 'metoprolol', 'verapamil-beta-blocker'],
  ])('%s + %s is moderate (%s)', (a, b, ruleId) => {
    expect(findInteractions([a, b])).toEqual([expect.objectContaining({ ruleId, severity: 'moderate' })]);
  });

  // Issue 16 item 4, written as patients' lists write them (brands, salts, combinations, capitals).
  it.each([
    ['Coumadin', 'Advil', 'warfarin-nsaid', ['ibuprofen', 'warfarin']],
    ['warfarin sodium', 'Septra', 'warfarin-smx', ['sulfamethoxazole', 'warfarin']],
    ['Jantoven', 'Diflucan', 'warfarin-azole', ['fluconazole', 'warfarin']],
    ['Oxycodone HCl', 'Ativan', 'opioid-benzodiazepine', ['lorazepam', 'oxycodone']],
    ['Percocet', 'alprazolam', 'opioid-benzodiazepine', ['alprazolam', 'oxycodone']],
    ['Eliquis', 'naproxen sodium', 'doac-nsaid', ['apixaban', 'naproxen']],
    ['Xarelto', 'Celebrex', 'doac-nsaid', ['celecoxib', 'rivaroxaban']],
    ['Bactrim DS', 'methotrexate sodium', 'methotrexate-tmp-smx', ['methotrexate', 'sulfamethoxazole']],
    ['Plavix', 'esomeprazole magnesium', 'clopidogrel-ppi', ['clopidogrel', 'esomeprazole']],
    ['Aldactone', 'K-Dur', 'k-sparing-potassium', ['potassium chloride', 'spironolactone']],
    ['Haldol', 'Tikosyn', 'qt-qt', ['dofetilide', 'haloperidol']],
    ['Viagra', 'Imdur', undefined, []],
  ])('%s + %s: %s', (a, b, ruleId, drugs) => {
    const found = findInteractions([a, b]);
    if (!ruleId) return expect(found.filter((i) => i.severity === 'high')).toEqual([]);
    expect(found).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId, severity: 'high', drugs })]));
  });

  it('does not call pantoprazole with clopidogrel the omeprazole interaction', () => {
    expect(findInteractions(['clopidogrel', 'pantoprazole sodium'])).toEqual([]);
  });

  it.each([
    [['Xarelto', 'aspirin', 'Brilinta'], 'triple-antithrombotic', ['aspirin', 'rivaroxaban', 'ticagrelor']],
    [['Coumadin', 'ASA', 'clopidogrel bisulfate'], 'triple-antithrombotic', ['aspirin', 'clopidogrel', 'warfarin']],
    [['Aldactone', 'Zestril', 'K-Dur'], 'k-sparing-acei-arb-potassium', ['lisinopril', 'potassium chloride', 'spironolactone']],
    [
      ['eplerenone', 'losartan potassium', 'potassium citrate'],
      'k-sparing-acei-arb-potassium',
      ['eplerenone', 'losartan', 'potassium citrate'],
    ],
  ])('three-way: %j is %s', (list, ruleId, drugs) => {
    expect(findInteractions(list)).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId, severity: 'high', drugs })]));
    // Any two of the three do not make the three-way rule.
    for (let skip = 0; skip < 3; skip += 1)
      expect(findInteractions(list.filter((_, i) => i !== skip)).map((i) => i.ruleId)).not.toContain(ruleId);
  });

  it('finds nothing between unrelated drugs, a drug and itself, or case variants', () => {
    expect(findInteractions(['metformin', 'lisinopril', 'atorvastatin'])).toEqual([]);
    expect(findInteractions(['Sotalol', 'sotalol'])).toEqual([]);
    expect(findInteractions(['Sertraline', 'PHENELZINE'])).toHaveLength(1);
  });

  it('every rule has two or three sides, each naming ingredients or classes the vocabulary knows, and a source', () => {
    for (const rule of INTERACTION_RULES) {
      expect([2, 3], rule.id).toContain(rule.sides.length);
      expect(rule.source.length, rule.id).toBeGreaterThan(10);
      for (const alternative of rule.sides.flatMap((side) => side.split('|'))) {
        const known = alternative.startsWith('class:')
          ? classMembers(alternative.slice(6)).length > 0
          : INGREDIENTS.some((i) => i.name === alternative);
        expect(known, `${rule.id}: ${alternative}`).toBe(true);
      }
    }
  });
});

describe('vocabulary', () => {
  it.each([
    ['Coumadin', ['warfarin']],
    ['WARFARIN  Sodium', ['warfarin']],
    ['Advil', ['ibuprofen']],
    ['naproxen sodium', ['naproxen']],
    ['Oxycodone HCl', ['oxycodone']],
    ['oxycodone hydrochloride 5 mg', ['oxycodone']],
    ['Ativan', ['lorazepam']],
    ['Eliquis', ['apixaban']],
    ['Bactrim DS', ['sulfamethoxazole', 'trimethoprim']],
    ['sulfamethoxazole/trimethoprim', ['sulfamethoxazole', 'trimethoprim']],
    ['Trimethoprim-Sulfamethoxazole', ['trimethoprim', 'sulfamethoxazole']],
    ['co-trimoxazole', ['sulfamethoxazole', 'trimethoprim']],
    ['methotrexate sodium', ['methotrexate']],
    ['Percocet', ['oxycodone', 'acetaminophen']],
    ['oxycodone and acetaminophen', ['oxycodone', 'acetaminophen']],
    ['potassium chloride', ['potassium chloride']],
    ['KCl', ['potassium chloride']],
    ['losartan potassium', ['losartan']],
    ['Toprol XL', ['metoprolol']],
    ['metoprolol succinate ER 50 mg', ['metoprolol']],
    ['sildenafil citrate', ['sildenafil']],
    ['paracetamol', ['acetaminophen']],
  ])('%s is %j', (written, names) => {
    expect(ingredientsOf(written)?.map((i) => i.name)).toEqual(names);
  });

  it.each([['Zzyzxamab'], ['sodium'], ['warfarin/zzyzx'], ['Coumadinn']])('%s is unrecognised', (written) => {
    expect(ingredientsOf(written)).toBeUndefined();
  });

  it('reads an RxCUI as well as a name, and carries the codes it is sure of', () => {
    expect(normalise({ rxcui: '11289', decision: 'new', discharge: { dose: '5 mg' }, reason: 'AF' })).toMatchObject({
      drug: 'warfarin',
      recognised: true,
      ingredients: [{ name: 'warfarin', rxcui: '11289' }],
    });
    expect(normalise({ rxcui: '999999999', decision: 'new', discharge: { dose: '5 mg' }, reason: 'AF' })).toMatchObject({
      recognised: false,
      ingredients: [],
    });
    expect(normalise(med('Bactrim DS')).ingredients).toEqual([
      { name: 'sulfamethoxazole', rxcui: '10180' },
      { name: 'trimethoprim', rxcui: '10829' },
    ]);
    const codes = INGREDIENTS.filter((i) => i.rxcui).map((i) => i.rxcui);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('therapeutic duplication', () => {
  it.each([
    [['Coumadin', 'warfarin sodium'], { kind: 'ingredient', name: 'warfarin' }],
    [['Advil', 'naproxen'], { kind: 'class', name: 'nsaid' }],
    [['Eliquis', 'Xarelto'], { kind: 'class', name: 'anticoagulant' }],
    [['Percocet', 'hydromorphone'], { kind: 'class', name: 'opioid-analgesic' }],
    [['Ativan', 'Klonopin'], { kind: 'class', name: 'benzodiazepine' }],
    [['Prilosec', 'pantoprazole'], { kind: 'class', name: 'proton-pump-inhibitor' }],
  ])('%j', (drugs, expected) => {
    expect(findDuplications(drugs.map((d) => normalise(med(d))))).toEqual(expect.arrayContaining([expect.objectContaining(expected)]));
  });

  it('counts only what goes home, and not one drug in a combination as two of its class', () => {
    expect(findDuplications([normalise(med('Advil')), normalise(med('naproxen', 'stopped'))])).toEqual([]);
    expect(findDuplications([normalise(med('Percocet')), normalise(med('metoprolol'))])).toEqual([]);
  });
});

describe('unrecognised medications', () => {
  it('are reported per medication and keep the reconciliation incomplete until a pharmacist confirms them', () => {
    const rec = reconcile([med('Zzyzxamab', 'new'), med('metoprolol succinate')], pharmacist, now);
    expect(rec).toMatchObject({
      status: 'incomplete',
      medications: [
        { drug: 'Zzyzxamab', recognised: false },
        { recognised: true, ingredients: [{ name: 'metoprolol', rxcui: '6918' }] },
      ],
    });
    const confirmation = { by: pharmacist, reason: 'Trial drug; no interactions per the protocol', at: now.toISOString() };
    const done = confirmMedication(rec, 'zzyzxamab', confirmation);
    expect(done).toMatchObject({ status: 'complete', medications: [{ confirmation }, { recognised: true }] });
    expect(reconcile(done.medications, pharmacist, now, done).status).toBe('complete');
    expect(() => confirmMedication(done, 'metoprolol succinate', confirmation)).toThrow(/No such unrecognised/);
    expect(reconcile([med('Zzyzxamab', 'stopped')], pharmacist, now).status).toBe('complete');
    expect([mayConfirm(['pharmacist']), mayConfirm(['physician']), mayConfirm(['nurse', 'integration-client'])]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('blocked outranks incomplete', () => {
    expect(reconcile([med('Zzyzxamab'), med('Zoloft'), med('Nardil', 'new')], pharmacist, now).status).toBe('blocked');
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
    const blocked = reconcile([med('sertraline'), med('phenelzine', 'new'), med('lithium'), med('lisinopril', 'new')], pharmacist, now);
    expect(blocked.status).toBe('blocked');
    const high = blocked.interactions.find((i) => i.severity === 'high')!;
    const ack = {
      by: { ...pharmacist, name: 'PharmD Synthetic' },
      reason: 'Psychiatry supervising the cross-taper',
      at: now.toISOString(),
    };
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
    const stored = {
      ...blocked,
      interactions: blocked.interactions.map((i) => ({ ...i, acknowledgement: legacy })),
      status: 'complete' as const,
    };
    expect(reconcile(stored.medications, pharmacist, now, stored)).toMatchObject({
      status: 'blocked',
      interactions: [{ ruleId: 'ssri-maoi' }],
    });
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
