import { describe, expect, it } from 'vitest';
import { repairAttributeValue } from '../../local/streams';

describe('stream images from DynamoDB Local', () => {
  it('get their empty maps back ({} → {"M":{}}), nested too, and nothing else changes', () => {
    expect(repairAttributeValue({})).toEqual({ M: {} });
    expect(repairAttributeValue({ M: { data: {}, list: { L: [{}, { S: 'x' }] }, n: { N: '1' } } })).toEqual({
      M: { data: { M: {} }, list: { L: [{ M: {} }, { S: 'x' }] }, n: { N: '1' } },
    });
    expect(repairAttributeValue({ L: [] })).toEqual({ L: [] });
    expect(repairAttributeValue({ S: '' })).toEqual({ S: '' });
  });
});
