import { describe, expect, it } from 'vitest';
import { nameSchema } from '../../shared/schemas/patient';

describe('nameSchema', () => {
  it.each([' ', '   ', '\t', '\u00a0', '\u3000 '])('refuses a family name of whitespace only (%j)', (family) => {
    const parsed = nameSchema.safeParse({ family, given: ['Ode'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['family'], message: 'must not be blank' })]);
  });

  it('refuses a blank given name, naming which', () => {
    const parsed = nameSchema.safeParse({ family: 'Okafor', given: ['Ada', '  '] });
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['given', 1], message: 'must not be blank' })]);
  });

  it('keeps names with spaces inside as written', () => {
    expect(nameSchema.parse({ family: 'van der Berg', given: ['Mary Jo'] })).toEqual({ family: 'van der Berg', given: ['Mary Jo'] });
    expect(nameSchema.parse({ family: ' Li', given: ['X'] }).family).toBe(' Li');
  });
});
