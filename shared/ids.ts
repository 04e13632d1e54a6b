import { createHash, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/**
 * A stable id derived from parts, shaped like a UUID. Used where a retried step must land on
 * the same record (e.g. the task a workflow state opens).
 */
export function stableId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
