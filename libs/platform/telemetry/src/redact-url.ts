/** What replaces a redacted value, as the HTTP instrumentation writes it. */
export const REDACTED = 'REDACTED';

/**
 * A query string (without its `?`) with every value replaced: names stay, for debugging, values go, since any of
 * them may be a key (Gemini's `?key=`, a signed URL's `sig=`). Undefined stays undefined.
 */
export function redactQuery(query: string | undefined): string | undefined {
  if (!query) return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? pair : `${pair.slice(0, eq)}=${REDACTED}`;
    })
    .join('&');
}

/** A URL with its query values and any user:password redacted, for span attributes. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const head = q === -1 ? url : url.slice(0, q);
  const withoutUserInfo = head.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, `$1${REDACTED}:${REDACTED}@`);
  if (q === -1) return withoutUserInfo;
  const hash = url.indexOf('#', q);
  const query = hash === -1 ? url.slice(q + 1) : url.slice(q + 1, hash);
  return `${withoutUserInfo}?${redactQuery(query)}`;
}
