import { instantOfLocal } from '../clock';
import { EARLIEST_YEAR } from '../date-bounds';

/**
 * HL7 DTM/TS (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]) to an ISO instant. A time with an offset is
 * that instant. A time without one is the facility's local wall-clock time (`timeZone`, its IANA
 * zone; HL7 v2.5.1 §2.A.22: without an offset the sender's local time is assumed). Daylight saving
 * follows RFC 5545 §3.3.5 (shared/domain/clock.ts `instantOfLocal`): a time in the spring-forward
 * gap is read with the offset before the gap (02:30 → 03:30 daylight time), a time in the repeated
 * fall-back hour is its first occurrence (daylight time). Senders that mean the second occurrence
 * must send the offset. A year before EARLIEST_YEAR (a default-filled 0000, a lost century) is no time.
 */
export function hl7TimeToIso(text: string, timeZone = 'UTC'): string | undefined {
  const match = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', zone] = match;
  // Date.UTC reads years 0–99 as 1900–1999: "0000" would become 1900 instead of being refused.
  if (Number(y) < EARLIEST_YEAR) return undefined;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (Number.isNaN(ms)) return undefined;
  // Reject impossible calendar values (month 13, day 32) that Date.UTC would roll over.
  const check = new Date(ms);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (zone) {
    const offset = Math.sign(Number(`${zone.slice(0, 1)}1`)) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
    return new Date(ms - offset * 60_000).toISOString();
  }
  return new Date(instantOfLocal(ms, timeZone)).toISOString();
}

/** HL7 DT (YYYYMMDD) to YYYY-MM-DD. */
export function hl7DateToIso(text: string): string | undefined {
  const iso = hl7TimeToIso(text.slice(0, 8));
  return iso && text.length >= 8 ? iso.slice(0, 10) : undefined;
}

/** An instant as HL7 DTM with its offset (+0000): without one a receiver would read it as its own local time. */
export function isoToHl7Time(iso: string): string {
  return `${iso
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$|Z$/, '')
    .slice(0, 14)}+0000`;
}
