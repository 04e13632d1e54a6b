import { describe, expect, it } from 'vitest';
import { syntheticAdmission } from '../fixtures/admissions';
import { etagFor } from '../fixtures/discharge-planning';
import { api } from '../support/clients';

const path = (id: string) => `/v1/encounters/${id}/medication-reconciliation`;
const medications = [
  {
    drug: 'sertraline',
    decision: 'continued',
    home: { dose: '50 mg', frequency: 'daily' },
    discharge: { dose: '50 mg', frequency: 'daily' },
    reason: 'Mood stable',
  },
  { drug: 'phenelzine', decision: 'new', discharge: { dose: '15 mg', frequency: 'three times daily' }, reason: 'Started by psychiatry' },
  { drug: 'ibuprofen', decision: 'stopped', home: { dose: '400 mg' }, reason: 'Acute kidney injury' },
];

async function visit() {
  const { body } = await api('POST', '/v1/encounters', syntheticAdmission({ class: 'outpatient' }));
  return body.encounterId as string;
}
/** The reconciliation's own ETag, which its writes take ("0" before the first). */
const etagOf = (id: string) => etagFor(id, '/medication-reconciliation');

const pharmacist = { facility: 'F1', role: 'pharmacist', username: 'pharmd-synthetic' } as const;
const nurse = { facility: 'F1', role: 'nurse', username: 'rn-synthetic' } as const;

describe('medication reconciliation', () => {
  it('blocks on a high-severity interaction until a pharmacist, as the token says, acknowledges it with a reason', async () => {
    const id = await visit();
    const reconciled = await api(
      'PUT',
      path(id),
      { medications, reconciledBy: 'PharmD Synthetic' },
      { 'if-match': await etagOf(id) },
      nurse,
    );
    expect(reconciled).toMatchObject({
      status: 200,
      body: { status: 'blocked', interactions: [{ ruleId: 'ssri-maoi', severity: 'high', drugs: ['phenelzine', 'sertraline'] }] },
    });
    // Who reconciled is the token's person and roles; the typed name is only shown beside it.
    expect(reconciled.body.reconciledBy).toEqual({ who: 'test-nurse/rn-synthetic', roles: ['nurse'], name: 'PharmD Synthetic' });
    expect(reconciled.headers.get('etag')).toBe('"1"');
    const interactionId = reconciled.body.interactions[0].interactionId as string;
    const ifMatch = { 'if-match': reconciled.headers.get('etag')! };

    // A role in the body is refused, whatever it claims.
    const claimed = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { interactionId, role: 'pharmacist', by: 'RN', reason: 'Looks fine to me, honestly' },
      ifMatch,
      nurse,
    );
    expect(claimed.status).toBe(400);
    expect(claimed.body.issues.map((i: { field: string }) => i.field)).toEqual(['role']);
    // Neither a nurse nor a hospital system without a pharmacist's or physician's role may accept a high-severity one.
    const byNurse = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { interactionId, by: 'PharmD Synthetic', reason: 'Looks fine to me, honestly' },
      ifMatch,
      nurse,
    );
    expect(byNurse.status).toBe(403);
    expect(
      (await api('POST', `${path(id)}/acknowledgements`, { interactionId, reason: 'Relayed from the EHR, honestly' }, ifMatch, 'F1'))
        .status,
    ).toBe(403);
    // The version read before the reconciliation was written.
    const stale = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { interactionId, reason: 'Cross-taper supervised' },
      { 'if-match': '"0"' },
      pharmacist,
    );
    expect(stale.status).toBe(412);
    const unknown = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { interactionId: 'nope', reason: 'Cross-taper supervised' },
      ifMatch,
      pharmacist,
    );
    expect(unknown.body.issues.map((i: { field: string }) => i.field)).toEqual(['interactionId']);

    const acknowledged = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { interactionId, by: 'PharmD Synthetic', reason: 'Psychiatry supervises the cross-taper; washout planned' },
      ifMatch,
      pharmacist,
    );
    expect(acknowledged).toMatchObject({
      status: 200,
      body: {
        status: 'complete',
        interactions: [
          { acknowledgement: { by: { who: 'test-pharmacist/pharmd-synthetic', roles: ['pharmacist'], name: 'PharmD Synthetic' } } },
        ],
      },
    });
    expect((await api('GET', `/v1/encounters/${id}`)).body.medicationReconciliation.status).toBe('complete');
  });

  it('lets a nurse note a moderate interaction, recorded as the nurse', async () => {
    const id = await visit();
    const moderate = [
      {
        drug: 'lithium',
        decision: 'continued',
        home: { dose: '300 mg' },
        discharge: { dose: '300 mg' },
        reason: 'Bipolar disorder, stable',
      },
      { drug: 'lisinopril', decision: 'new', discharge: { dose: '5 mg' }, reason: 'Hypertension' },
    ];
    const reconciled = await api('PUT', path(id), { medications: moderate }, { 'if-match': await etagOf(id) }, pharmacist);
    expect(reconciled.body).toMatchObject({
      status: 'complete',
      reconciledBy: { who: 'test-pharmacist/pharmd-synthetic', roles: ['pharmacist'] },
      interactions: [{ severity: 'moderate' }],
    });
    const noted = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { interactionId: reconciled.body.interactions[0].interactionId, reason: 'Lithium level ordered for day 5' },
      { 'if-match': reconciled.headers.get('etag')! },
      nurse,
    );
    expect(noted).toMatchObject({
      status: 200,
      body: { interactions: [{ acknowledgement: { by: { who: 'test-nurse/rn-synthetic', roles: ['nurse'] } } }] },
    });
  });

  it('checks ingredients, not strings: brands, salts, combinations and RxCUIs; an unknown drug waits for a pharmacist', async () => {
    const id = await visit();
    const written = [
      { drug: 'Coumadin', decision: 'continued', home: { dose: '5 mg' }, discharge: { dose: '5 mg' }, reason: 'Atrial fibrillation' },
      { drug: 'Advil', decision: 'new', discharge: { dose: '400 mg' }, reason: 'Knee pain' },
      { drug: 'Bactrim DS', decision: 'new', discharge: { dose: '1 tablet' }, reason: 'Cystitis' },
      {
        rxcui: '6851',
        decision: 'continued',
        home: { dose: '15 mg weekly' },
        discharge: { dose: '15 mg weekly' },
        reason: 'Rheumatoid arthritis',
      },
      { drug: 'naproxen sodium', decision: 'continued', home: { dose: '220 mg' }, discharge: { dose: '220 mg' }, reason: 'Knee pain' },
      { drug: 'Zzyzxamab', decision: 'new', discharge: { dose: '1 vial' }, reason: 'Trial drug' },
    ];
    const reconciled = await api('PUT', path(id), { medications: written }, { 'if-match': await etagOf(id) }, pharmacist);
    expect(reconciled.status).toBe(200);
    const rules = reconciled.body.interactions.map((i: { ruleId: string; severity: string }) => `${i.ruleId}:${i.severity}`);
    expect(rules).toEqual(
      expect.arrayContaining(['warfarin-nsaid:high', 'warfarin-smx:high', 'methotrexate-tmp-smx:high', 'methotrexate-nsaid:moderate']),
    );
    expect(reconciled.body.medications[3]).toMatchObject({
      drug: 'methotrexate',
      ingredients: [{ name: 'methotrexate', rxcui: '6851' }],
      recognised: true,
    });
    expect(reconciled.body.medications[5]).toMatchObject({ drug: 'Zzyzxamab', recognised: false, ingredients: [] });
    expect(reconciled.body.duplications).toEqual([
      expect.objectContaining({ kind: 'class', name: 'nsaid', drugs: ['Advil', 'naproxen sodium'] }),
    ]);
    expect(reconciled.body.status).toBe('blocked');

    // Each high-severity one acknowledged: still incomplete, the unknown drug went through no check.
    let etag = reconciled.headers.get('etag')!;
    let last: Awaited<ReturnType<typeof api>> = reconciled;
    for (const interaction of reconciled.body.interactions.filter((i: { severity: string }) => i.severity === 'high')) {
      last = await api(
        'POST',
        `${path(id)}/acknowledgements`,
        { interactionId: interaction.interactionId, reason: 'Rheumatology and anticoagulation clinic agree' },
        { 'if-match': etag },
        pharmacist,
      );
      expect(last.status).toBe(200);
      etag = last.headers.get('etag')!;
    }
    expect(last.body.status).toBe('incomplete');
    const byNurse = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { drug: 'Zzyzxamab', reason: 'Looks fine to me, honestly' },
      { 'if-match': etag },
      nurse,
    );
    expect(byNurse.status).toBe(403);
    const byPhysician = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { drug: 'Zzyzxamab', reason: 'Looks fine to me, honestly' },
      { 'if-match': etag },
      { facility: 'F1', role: 'physician', username: 'md-synthetic' },
    );
    expect(byPhysician.status).toBe(403);
    const neither = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { reason: 'Neither named, honestly' },
      { 'if-match': etag },
      pharmacist,
    );
    expect(neither.body.issues.map((i: { field: string }) => i.field)).toEqual(['interactionId']);
    const confirmed = await api(
      'POST',
      `${path(id)}/acknowledgements`,
      { drug: 'zzyzxamab', reason: 'Trial protocol lists no interactions with these' },
      { 'if-match': etag },
      pharmacist,
    );
    expect(confirmed).toMatchObject({
      status: 200,
      body: {
        status: 'complete',
        medications: expect.arrayContaining([
          expect.objectContaining({
            drug: 'Zzyzxamab',
            confirmation: expect.objectContaining({ by: expect.objectContaining({ roles: ['pharmacist'] }) }),
          }),
        ]),
      },
    });
  });

  it('refuses an RxCUI that names another ingredient than the name given', async () => {
    const id = await visit();
    const bad = await api(
      'PUT',
      path(id),
      { medications: [{ drug: 'Eliquis', rxcui: '11289', decision: 'new', discharge: { dose: '5 mg' }, reason: 'Atrial fibrillation' }] },
      { 'if-match': await etagOf(id) },
      pharmacist,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field)).toEqual(['medications.0.rxcui']);
  });

  it('reports each bad medication field, and hides other facilities', async () => {
    const id = await visit();
    const bad = await api(
      'PUT',
      path(id),
      {
        medications: [
          { drug: 'x', decision: 'continued', discharge: { dose: '1 mg' }, reason: 'ok!' },
          { drug: 'metformin', decision: 'new', home: { dose: '500 mg' }, discharge: { dose: '500 mg' }, reason: 'ok!' },
          { drug: 'Metformin', decision: 'paused', reason: '' },
        ],
        reconciledBy: '',
        role: 'pharmacist',
      },
      { 'if-match': await etagOf(id) },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(
      ['medications.0.drug', 'medications.2.decision', 'medications.2.reason', 'reconciledBy', 'role'].sort(),
    );
    const rules = await api(
      'PUT',
      path(id),
      {
        medications: [
          { drug: 'metformin', decision: 'new', home: { dose: '500 mg' }, discharge: { dose: '500 mg' }, reason: 'ok!' },
          { drug: 'Metformin', decision: 'stopped', reason: 'dup', home: { dose: '1 mg' } },
        ],
        reconciledBy: 'PharmD',
      },
      { 'if-match': await etagOf(id) },
    );
    expect(rules.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['medications.0.home', 'medications.1.drug']);
    expect((await api('PUT', path(id), { medications, reconciledBy: 'x' }, { 'if-match': '"1"' }, 'F2')).status).toBe(404);
    expect((await api('PUT', path(id), { medications, reconciledBy: 'x' })).status).toBe(428);
  });
});
