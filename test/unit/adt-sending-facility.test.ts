import { describe, expect, it } from 'vitest';
import { sendingFacilityProblem } from '../../shared/domain/adt/sending-facility';

const f1 = { facilityId: 'F1', sendingFacilities: ['F1', 'GENHOSP'] };

describe('sendingFacilityProblem: a misrouted feed is AR', () => {
  it.each([
    { name: "F2's MSH-4 over F1's client", sendingFacility: 'F2', receivingFacility: 'F1', location: 'MSH^1^4' },
    { name: 'an unknown sending facility', sendingFacility: 'OTHERHOSP', receivingFacility: 'F1', location: 'MSH^1^4' },
    { name: 'an empty MSH-4', sendingFacility: '', receivingFacility: 'F1', location: 'MSH^1^4' },
    { name: 'MSH-6 naming another facility', sendingFacility: 'GENHOSP', receivingFacility: 'F2', location: 'MSH^1^6' },
  ])('$name → AR at $location', ({ sendingFacility, receivingFacility, location }) => {
    expect(sendingFacilityProblem({ sendingFacility, receivingFacility }, f1)).toMatchObject({ ackCode: 'AR', location });
  });

  it.each([
    { name: 'a configured sending facility to F1', sendingFacility: 'GENHOSP', receivingFacility: 'F1' },
    { name: 'the facility id itself (the default)', sendingFacility: 'F1', receivingFacility: 'F1' },
    { name: 'an HD with components (namespace^universal id^type)', sendingFacility: 'GENHOSP^1.2.3^ISO', receivingFacility: 'F1^^' },
    { name: 'MSH-6 left empty', sendingFacility: 'GENHOSP', receivingFacility: '' },
  ])('$name → accepted', ({ sendingFacility, receivingFacility }) => {
    expect(sendingFacilityProblem({ sendingFacility, receivingFacility }, f1)).toBeUndefined();
  });
});
