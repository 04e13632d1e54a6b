import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

/** The file synth writes next to a function's bundle (infra/constructs/service-function.ts). */
export const SITE_CONFIG_FILE = 'site-config.json';

/**
 * Stage configuration that grows with the hospital (care managers, facilities' time zones and
 * holidays). Not environment variables: Lambda allows 4 KB of them in all, which a roster of about
 * 40 care managers filled. Synth writes the parts a function needs into its bundle; the function
 * reads them once per container.
 */
const siteConfigSchema = z.object({
  /** Per facility, the care managers: who covers which units and how many stays each may carry. */
  careManagers: z
    .record(
      z.string(),
      z.array(
        z.object({ careManagerId: z.string(), name: z.string(), units: z.array(z.string()), maxCaseload: z.number().int().positive() }),
      ),
    )
    .default({}),
  /** Per facility, its IANA time zone: the metrics' days and "before noon" are local. */
  facilityTimeZones: z.record(z.string(), z.string()).default({}),
  /** Per facility, extra non-business days beside US federal holidays. */
  facilityHolidays: z.record(z.string(), z.array(z.iso.date())).default({}),
  /** Per facility, the MSH-4 sending facilities its ADT feed accepts; `*` for any facility not listed. */
  adtSendingFacilities: z.record(z.string(), z.array(z.string())).default({}),
});
export type SiteConfig = z.infer<typeof siteConfigSchema>;

let cached: SiteConfig | undefined;

/** Next to the running bundle (index.mjs); from source (tests), no file: the empty defaults. */
const bundledFile = () => path.join(path.dirname(fileURLToPath(import.meta.url)), SITE_CONFIG_FILE);

export function readSiteConfig(file: string): SiteConfig {
  const parsed = siteConfigSchema.safeParse(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {});
  if (!parsed.success) throw new Error(`Invalid ${SITE_CONFIG_FILE}: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

export function siteConfig(): SiteConfig {
  cached ??= readSiteConfig(bundledFile());
  return cached;
}

/**
 * The facility's IANA time zone, for every clinical day (deadlines, ends of day, lengths of stay,
 * HL7 times without an offset). Stage config requires one per facility; UTC only where no site
 * config is bundled (handlers run from source in unit tests).
 */
export const facilityTimeZone = (facilityId: string): string => siteConfig().facilityTimeZones[facilityId] ?? 'UTC';

/**
 * The MSH-4 sending facilities the facility's ADT feed accepts (issue 16 item 14): its own list,
 * else the stage's `*` list, else none (every message AR until the site configures it, so a
 * misrouted feed is never filed under the wrong facility).
 */
export const adtSendingFacilities = (facilityId: string): readonly string[] =>
  siteConfig().adtSendingFacilities[facilityId] ?? siteConfig().adtSendingFacilities['*'] ?? [];
