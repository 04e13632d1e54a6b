import { PreconditionRequiredError } from '../domain/errors';

/** Versions travel as ETags: "3". */
export const etag = (version: number | undefined) => `"${version ?? 0}"`;

/** The version an If-Match names; an edit two people could race on needs one (428 without). */
export function requiredVersion(ifMatch: string | undefined, what: string): number {
  const match = /^(?:W\/)?"(\d+)"$/.exec((ifMatch ?? '').trim());
  if (!match) throw new PreconditionRequiredError(`Send If-Match with the ETag of the ${what} you read`);
  return Number(match[1]);
}
