import { createHmac, timingSafeEqual } from 'node:crypto';

export type MediaUrlCheck = 'valid' | 'invalid' | 'expired';

/**
 * Expiring URLs for stored media: `/v1/media/{id}?expires={unix seconds}&sig={HMAC}`. The URL itself is the
 * credential (no API key needed, so it works in an <img> tag or a browser), hence an HMAC-SHA256 under a key only
 * the edges hold, over the id and the expiry: neither can be changed without the key. Every edge behind one base
 * URL must share the key (MEDIA_URL_SIGNING_KEY); rotating it invalidates the URLs out there.
 */
export class MediaUrlSigner {
  constructor(
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The path and query of the URL for `mediaId`, valid until `expiresAt` (Unix seconds). */
  path(mediaId: string, expiresAt: number): string {
    return `/v1/media/${encodeURIComponent(mediaId)}?expires=${expiresAt}&sig=${this.signature(mediaId, expiresAt)}`;
  }

  /** Whether a URL's parts are ours and still valid. The signature is checked first, in constant time. */
  check(mediaId: string, expires: unknown, sig: unknown): MediaUrlCheck {
    if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof sig !== 'string') return 'invalid';
    const expected = Buffer.from(this.signature(mediaId, Number(expires)));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(expires) * 1000 <= this.now() ? 'expired' : 'valid';
  }

  private signature(mediaId: string, expiresAt: number): string {
    return createHmac('sha256', this.key).update(`media.v1\n${mediaId}\n${expiresAt}`).digest('base64url');
  }
}
