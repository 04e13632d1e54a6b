import { describe, expect, it } from 'vitest';
import { editEncounter, editStayPart, type EditPorts } from '../../shared/care/stay/edits';
import type { Encounter } from '../../shared/domain/encounter';
import { ConflictError } from '../../shared/domain/errors';
import { partVersion, splitByRecord } from '../../shared/domain/stay-parts';
import type { Caller } from '../../shared/http/caller';
import type { EncounterChanges } from '../../shared/store/encounter-store';

/**
 * The stay's repository in memory, keeping each record's version as the table does: a change is
 * refused (ConflictError) when any record it touches moved since the stay was read.
 */
function inMemoryStays(stay: Encounter) {
  let stored = stay;
  const encounters: EditPorts['encounters'] = {
    get: async (id) => (id === stored.encounterId ? stored : undefined),
    update: async (current: Encounter, changes: EncounterChanges) => {
      const { own, parts } = splitByRecord(changes.fields);
      const ownChanged = Object.keys(own).length > 0 || changes.status !== undefined;
      if (ownChanged && current.version !== stored.version) throw new ConflictError('encounter moved');
      for (const part of parts.keys())
        if (partVersion(current, part) !== partVersion(stored, part)) throw new ConflictError(`${part} moved`);
      const partVersions = { ...stored.partVersions };
      for (const part of parts.keys()) partVersions[part] = partVersion(stored, part) + 1;
      stored = { ...stored, ...changes.fields, version: stored.version + (ownChanged ? 1 : 0), partVersions } as Encounter;
      return stored;
    },
  };
  return { ports: { encounters, now: () => new Date('2026-12-01T10:00:00Z') }, stored: () => stored };
}

const stay = { encounterId: 'e-1', facilityId: 'F1', patientId: 'p-1', status: 'admitted', version: 3 } as Encounter;
const careManager: Caller = { clientId: 'cm-app', facilityId: 'F1', roles: ['care-manager'] };
const goals = { goalsOfCare: { level: 'comfort-focused' } } as unknown as EncounterChanges['fields'];

describe('editing a part of a stay (use case, in-memory ports)', () => {
  it('writes the part on its own ETag ("0" first) and leaves the encounter version alone', async () => {
    const { ports, stored } = inMemoryStays(stay);
    const after = await editStayPart(ports, careManager, 'e-1', 'goalsOfCare', '"0"', () => ({ fields: goals }));
    expect(partVersion(after, 'goalsOfCare')).toBe(1);
    expect(stored().version).toBe(3);
  });

  it("does not need the encounter's ETag, and refuses it unless it happens to be the part's", async () => {
    const { ports } = inMemoryStays(stay);
    await expect(editStayPart(ports, careManager, 'e-1', 'goalsOfCare', '"3"', () => ({ fields: goals }))).rejects.toMatchObject({
      name: 'PreconditionFailedError',
    });
  });

  it('is 428 without If-Match, 412 on a stale part ETag, 404 for another facility', async () => {
    const { ports } = inMemoryStays(stay);
    await expect(editStayPart(ports, careManager, 'e-1', 'goalsOfCare', undefined, () => ({ fields: goals }))).rejects.toMatchObject({
      name: 'PreconditionRequiredError',
    });
    await editStayPart(ports, careManager, 'e-1', 'goalsOfCare', '"0"', () => ({ fields: goals }));
    await expect(editStayPart(ports, careManager, 'e-1', 'goalsOfCare', '"0"', () => ({ fields: goals }))).rejects.toMatchObject({
      name: 'PreconditionFailedError',
    });
    await expect(
      editStayPart(ports, { ...careManager, facilityId: 'F2' }, 'e-1', 'goalsOfCare', '"1"', () => ({ fields: goals })),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('turns a race lost between read and write into 412', async () => {
    const { ports } = inMemoryStays(stay);
    const racing = { ...ports, encounters: { ...ports.encounters, update: async () => Promise.reject(new ConflictError('moved')) } };
    await expect(editStayPart(racing, careManager, 'e-1', 'goalsOfCare', '"0"', () => ({ fields: goals }))).rejects.toMatchObject({
      name: 'PreconditionFailedError',
    });
  });

  it("refuses, as a bug, an edit of one part that changes another part's or the encounter's fields", async () => {
    const { ports } = inMemoryStays(stay);
    await expect(
      editStayPart(ports, careManager, 'e-1', 'goalsOfCare', '"0"', () => ({ fields: { ...goals, unit: '5E' } })),
    ).rejects.toThrow(/changed other fields \(unit\)/);
    await expect(editEncounter(ports, careManager, 'e-1', '"3"', () => ({ fields: goals }))).rejects.toThrow(/edit the part/);
  });
});
