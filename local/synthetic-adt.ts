import { randomUUID } from 'node:crypto';

/**
 * Synthetic ADT messages. Every name, MRN and visit number is made up; MRNs and visits are random
 * per test run so runs never collide.
 */
export interface AdtOptions {
  event: string;
  controlId?: string;
  mrn: string;
  otherIds?: string[];
  visit?: string;
  /** EVN-2 event time, HL7 format (YYYYMMDDHHMM). */
  at?: string;
  patientClass?: string;
  /** PV1-18 patient type (e.g. OBS for an observation stay). */
  patientType?: string;
  admissionType?: string;
  location?: string;
  priorLocation?: string;
  family?: string;
  given?: string;
  birthDate?: string;
  sex?: string;
  disposition?: string;
  dischargedAt?: string;
  /** PV1-44 admit time, HL7 format. */
  admittedAt?: string;
  expectedDischarge?: string;
  mergedMrn?: string;
  /** PID-29 date/time of death and PID-30 death indicator (Y/N), HL7 format. */
  deceasedAt?: string;
  deathIndicator?: string;
  version?: string;
  sendingFacility?: string;
  /** MSH-6: the Carepath facility the message is for ('' leaves it out). @default F1 */
  receivingFacility?: string;
  segmentEnd?: string;
  messageType?: string;
  /**
   * Send the times as given, without an offset: the receiver reads them as the facility's local
   * time. By default each time is sent as UTC (+0000 appended unless it has an offset).
   */
  offsetless?: boolean;
}

export const uniq = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export function adt(o: AdtOptions): string {
  const ts = (time: string) => (o.offsetless || time === '' || /[+-]\d{4}$/.test(time) ? time : `${time}+0000`);
  const at = ts(o.at ?? '202611200800');
  const ids = [`${o.mrn}^^^GENHOSP^MR`, ...(o.otherIds ?? [])].join('~');
  const pv1 = new Array(46).fill('');
  pv1[0] = 'PV1';
  pv1[1] = '1';
  pv1[2] = o.patientClass ?? 'I';
  pv1[3] = o.location ?? '4W^401^A^GENHOSP';
  pv1[4] = o.admissionType ?? 'E';
  pv1[6] = o.priorLocation ?? '';
  pv1[7] = '1234^Welby^Marcus';
  pv1[10] = 'MED';
  pv1[18] = o.patientType ?? '';
  pv1[19] = o.visit ?? '';
  pv1[36] = o.disposition ?? '';
  pv1[44] = ts(o.admittedAt ?? '202611200800');
  pv1[45] = ts(o.dischargedAt ?? '');
  const segments = [
    `MSH|^~\\&|EPIC|${o.sendingFacility ?? 'GENHOSP'}|CAREPATH|${o.receivingFacility ?? 'F1'}|${at}||${o.messageType ?? 'ADT'}^${o.event}^ADT_A01|${o.controlId ?? uniq('MSG')}|P|${o.version ?? '2.5.1'}`,
    `EVN|${o.event}|${at}`,
    `PID|1||${ids}||${o.family ?? 'Testpatient'}^${o.given ?? 'Synthetic'}||${o.birthDate ?? '19500203'}|${o.sex ?? 'F'}` +
      (o.deceasedAt || o.deathIndicator ? `${'|'.repeat(21)}${ts(o.deceasedAt ?? '')}|${o.deathIndicator ?? ''}` : ''),
    pv1.join('|').replace(/\|+$/, ''),
  ];
  if (o.expectedDischarge) segments.push(`PV2|||||||||${ts(o.expectedDischarge)}`);
  if (o.mergedMrn) segments.push(`MRG|${o.mergedMrn}^^^GENHOSP^MR`);
  return segments.join(o.segmentEnd ?? '\r') + (o.segmentEnd ?? '\r');
}
