/** Media to keep until `expiresAt` (generated images served by expiring URLs). */
export interface NewMedia {
  accountId: string;
  contentType: string;
  bytes: Buffer;
  expiresAt: Date;
}

export interface StoredMedia extends NewMedia {
  id: string;
  createdAt: Date;
}

/**
 * Where media-jobs keeps the media it generated, for as long as its URL lives. Implementations: Postgres here
 * (`PostgresMediaStore`, table media_objects); production is meant to use S3-compatible object storage behind the
 * same three methods (a documented follow-up, see the service README).
 */
export interface MediaStore {
  /** Stores the bytes; resolves with the new object's id (a UUID). */
  put(media: NewMedia): Promise<string>;
  /** The object, or undefined when the id is unknown, malformed, or the object expired at `now`. */
  get(id: string, now?: Date): Promise<StoredMedia | undefined>;
  /** Deletes up to `limit` objects expired at `now`; resolves with how many it deleted. */
  deleteExpired(now: Date, limit: number): Promise<number>;
}

export const MEDIA_STORE = Symbol('MEDIA_STORE');

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else names no object (and never reaches the database). */
export const isMediaId = (id: string): boolean => uuid.test(id);
