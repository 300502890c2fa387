import type { PrismaClient } from '@apitopmix/platform/prisma';
import { isMediaId, MediaStore, NewMedia, StoredMedia } from './media-store';

/**
 * Media in Postgres (media_objects: bytes in a bytea column, indexed by expiry). Good for development, tests and
 * small deployments: every image goes through the database and its WAL, so production points `MediaStore` at
 * object storage instead.
 */
export class PostgresMediaStore implements MediaStore {
  constructor(private readonly prisma: PrismaClient) {}

  async put(media: NewMedia): Promise<string> {
    const row = await this.prisma.mediaObject.create({
      data: { accountId: media.accountId, contentType: media.contentType, bytes: new Uint8Array(media.bytes), expiresAt: media.expiresAt },
      select: { id: true },
    });
    return row.id;
  }

  async get(id: string, now = new Date()): Promise<StoredMedia | undefined> {
    if (!isMediaId(id)) return undefined;
    const row = await this.prisma.mediaObject.findUnique({ where: { id } });
    if (!row || row.expiresAt <= now) return undefined;
    return { ...row, bytes: Buffer.from(row.bytes) };
  }

  async deleteExpired(now: Date, limit: number): Promise<number> {
    // A bounded batch, so a large backlog never holds one long transaction; the expiry index finds the rows.
    return this.prisma.$executeRaw`
      DELETE FROM media_objects WHERE id IN (
        SELECT id FROM media_objects WHERE expires_at <= ${now} ORDER BY expires_at LIMIT ${limit}
      )`;
  }
}
