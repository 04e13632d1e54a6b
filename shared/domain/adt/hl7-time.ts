/**
 * HL7 DTM/TS (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]) to an ISO instant. A time without an offset
 * is read with `defaultOffsetMinutes` (UTC unless the caller passes one; a per-facility setting is
 * a known gap).
 */
export function hl7TimeToIso(text: string, defaultOffsetMinutes = 0): string | undefined {
  const match = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', zone] = match;
  const offset = zone ? Math.sign(Number(zone.slice(0, 1) + '1')) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) : defaultOffsetMinutes;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  const date = new Date(ms - offset * 60_000);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject impossible calendar values (month 13, day 32) that Date.UTC would roll over.
  const check = new Date(ms);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  return date.toISOString();
}

/** HL7 DT (YYYYMMDD) to YYYY-MM-DD. */
export function hl7DateToIso(text: string): string | undefined {
  const iso = hl7TimeToIso(text.slice(0, 8));
  return iso && text.length >= 8 ? iso.slice(0, 10) : undefined;
}

export function isoToHl7Time(iso: string): string {
  return iso.replace(/[-:T]/g, '').replace(/\.\d+Z$|Z$/, '').slice(0, 14);
}
