import { offListProviderId, type PatientChoice, type PostAcuteProvider } from './patient-choice';

/**
 * The post-acute providers a hospital offers (synthetic examples). A site loads its own
 * directory (e.g. from CMS Care Compare data) with real service areas and star ratings.
 */
export const POST_ACUTE_DIRECTORY: readonly PostAcuteProvider[] = [
  {
    providerId: 'hha-riverside',
    name: 'Riverside Home Health',
    type: 'home-health-agency',
    medicareParticipating: true,
    qualityStars: 4,
    servesFacilities: ['F1', 'F3'],
  },
  {
    providerId: 'hha-lakeview',
    name: 'Lakeview Visiting Nurses',
    type: 'home-health-agency',
    medicareParticipating: true,
    qualityStars: 3,
    servesFacilities: ['F1', 'F2', 'F3'],
  },
  {
    providerId: 'hha-summit',
    name: 'Summit Home Care',
    type: 'home-health-agency',
    medicareParticipating: true,
    qualityStars: 5,
    servesFacilities: ['F1'],
    hospitalHasFinancialInterest: true,
  },
  {
    providerId: 'hha-private',
    name: 'Private Duty Helpers',
    type: 'home-health-agency',
    medicareParticipating: false,
    servesFacilities: ['F1'],
  },
  {
    providerId: 'snf-oakwood',
    name: 'Oakwood Skilled Nursing',
    type: 'skilled-nursing-facility',
    medicareParticipating: true,
    qualityStars: 4,
    servesFacilities: ['F1'],
  },
  {
    providerId: 'snf-maple',
    name: 'Maple Grove Care Center',
    type: 'skilled-nursing-facility',
    medicareParticipating: true,
    qualityStars: 2,
    servesFacilities: ['F1', 'F2'],
  },
  {
    providerId: 'irf-northside',
    name: 'Northside Rehabilitation Hospital',
    type: 'inpatient-rehab-facility',
    medicareParticipating: true,
    qualityStars: 4,
    servesFacilities: ['F1', 'F2'],
  },
  {
    providerId: 'hospital-st-vincent',
    name: 'St Vincent Regional Medical Center',
    type: 'acute-care-hospital',
    medicareParticipating: true,
    qualityStars: 4,
    servesFacilities: ['F1', 'F2'],
  },
  {
    providerId: 'hospital-university',
    name: 'University Hospital',
    type: 'acute-care-hospital',
    medicareParticipating: true,
    qualityStars: 5,
    servesFacilities: ['F1'],
  },
  {
    providerId: 'ltch-harbor',
    name: 'Harbor Long-Term Acute Care',
    type: 'long-term-care-hospital',
    medicareParticipating: true,
    servesFacilities: ['F1'],
  },
  {
    providerId: 'hospice-evening-star',
    name: 'Evening Star Hospice',
    type: 'hospice',
    medicareParticipating: true,
    qualityStars: 5,
    servesFacilities: ['F1', 'F2'],
  },
  {
    providerId: 'hospice-willow',
    name: 'Willow Hospice and Palliative Care',
    type: 'hospice',
    medicareParticipating: true,
    qualityStars: 4,
    servesFacilities: ['F1'],
  },
];

/** A referred provider's name: from the directory, else the patient's off-list choice. */
export function providerNameOf(providerId: string, choice?: Pick<PatientChoice, 'offListProvider'>): string | undefined {
  const listed = POST_ACUTE_DIRECTORY.find((p) => p.providerId === providerId)?.name;
  if (listed) return listed;
  const offList = choice?.offListProvider;
  return offList && offListProviderId(offList) === providerId ? offList.name : undefined;
}
