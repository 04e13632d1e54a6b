import type { Recorder } from './access';
/** The people around one stay, the care manager who leads, and what they say to each other. */
export const CARE_TEAM_ROLES = [
  'attending-physician',
  'nurse',
  'care-manager',
  'social-worker',
  'therapist',
  'pharmacist',
  'dietitian',
  'primary-care-practitioner',
  'caregiver',
] as const;
export type CareTeamRole = (typeof CARE_TEAM_ROLES)[number];

export interface CareTeamMember {
  memberId: string;
  encounterId: string;
  name: string;
  role: CareTeamRole;
  contact?: string;
  /** Display only (the body's name). Who added the member is `by`; being on a care team grants no access. */
  addedBy: string;
  by?: Recorder;
  addedAt: string;
}

export interface TeamMessage {
  messageId: string;
  encounterId: string;
  /** Display only (the body's name, or "Carepath"). Who posted it is `by`, from the token. */
  author: string;
  by?: Recorder;
  body: string;
  sentAt: string;
}

/** Only a care manager on the team can lead it. */
export function canLead(member: Pick<CareTeamMember, 'role'> | undefined): boolean {
  return member?.role === 'care-manager';
}
