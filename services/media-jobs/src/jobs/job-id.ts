import { randomBytes } from 'node:crypto';
import type { JobKind } from './media-job.repository';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A job's public task id: `task_` (video, as the spec's `task_abc123xyz`) or `suno_` (music, as `suno_abc123def456`)
 * and 24 random base-62 characters (about 143 bits): unguessable, so an id alone reveals nothing, and the owning
 * account is checked on every read anyway.
 */
export function newJobId(kind: JobKind): string {
  const bytes = randomBytes(48);
  let id = '';
  // Rejection sampling keeps every character equally likely (248 = 4 × 62).
  for (const byte of bytes) {
    if (byte < 248) id += ALPHABET[byte % 62];
    if (id.length === 24) break;
  }
  while (id.length < 24) id += ALPHABET[randomBytes(1)[0] % 62];
  return `${kind === 'VIDEO' ? 'task_' : 'suno_'}${id}`;
}
