import * as z from 'zod';

/**
 * Who acts and in which role comes from the verified token only; a body that says otherwise is
 * refused (400 naming the field) rather than silently ignored, so a client learns it is not trusted.
 */
export const fromTokenOnly = z.never({ error: 'is not accepted: who acts, and in which role, comes from the token' }).optional();

/** A display name the client may add; it is shown beside the token's identity and grants nothing. */
export const displayName = z.string().trim().min(1).max(200).optional();
