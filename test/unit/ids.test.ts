import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { stableId } from '../../shared/ids';

describe('stableId', () => {
  it('is the same for the same parts and different for others', () => {
    expect(stableId('exec-1', 'needs-assessment')).toBe(stableId('exec-1', 'needs-assessment'));
    expect(stableId('exec-1', 'needs-assessment')).not.toBe(stableId('exec-1', 'discharge-order'));
    expect(stableId('a', 'bc')).not.toBe(stableId('ab', 'c'));
  });

  it('is a valid UUID, so the API accepts it as a task id', () => {
    for (const parts of [['x'], ['exec-1', 'needs-assessment'], ['arn:aws:states:…', 'follow-up-contact']]) {
      expect(z.uuid().safeParse(stableId(...parts)).success).toBe(true);
    }
  });
});
