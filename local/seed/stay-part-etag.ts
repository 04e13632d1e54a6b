import { partOfPath, STAY_PARTS, type StayPart } from '../../shared/domain/stay-parts';

/**
 * Write routes of a part whose first segment is not the part's own path: the risk's two writes
 * take the ETag that GET /v1/encounters/{id}/risk gives.
 */
const PART_OF_WRITE = new Map<string, StayPart>([
  ['risk-inputs', 'risk'],
  ['risk-override', 'risk'],
]);

/**
 * The sub-resource whose GET gives the ETag a write under /v1/encounters/{id} takes (issue 18):
 * `/goals-of-care` for `/goals-of-care`, `/medication-reconciliation` for
 * `/medication-reconciliation/acknowledgements`, `/risk` for `/risk-inputs`, and '' (the
 * encounter itself) for a write of the encounter record, such as `/care-team/lead`.
 */
export function etagSourceOf(writePath: string): string {
  const segment = writePath.split('/').find((part) => part !== '') ?? '';
  const part = PART_OF_WRITE.get(segment) ?? partOfPath(segment);
  return part ? `/${STAY_PARTS[part].path}` : '';
}

type Call = (method: string, path: string) => Promise<{ status: number; etag: string | null }>;

/** The If-Match a write under /v1/encounters/{id}`writePath` takes now: its part's ETag, "0" before the part's first write. */
export async function currentEtag(call: Call, encounterId: string, writePath: string): Promise<string> {
  const source = etagSourceOf(writePath);
  const read = await call('GET', `/v1/encounters/${encounterId}${source}`);
  if (read.status === 404 && source !== '') return '"0"';
  if (read.status !== 200 || !read.etag) throw new Error(`GET /v1/encounters/${encounterId}${source} for its ETag: HTTP ${read.status}`);
  return read.etag;
}
