// Images in requests: every format accepts them, and the sandbox proves it received them by naming their count and
// MIME types in the reply. It never fetches a URL: an http(s) image's type is guessed from its file extension.

/** Input tokens billed per image, whatever its size (OpenAI's flat low-detail cost). */
export const IMAGE_INPUT_TOKENS = 85;

export const UNKNOWN_IMAGE_MIME_TYPE = 'image/unknown';

const EXTENSION_MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

export interface DataUrl {
  mimeType: string;
  base64: boolean;
  data: string;
}

/** `data:image/png;base64,AAAA` → its parts; null when the string is not a data URL. */
export function parseDataUrl(url: string): DataUrl | null {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) return null;
  const params = match[2].split(';').filter(Boolean);
  return { mimeType: match[1].toLowerCase() || 'text/plain', base64: params.includes('base64'), data: match[3] };
}

/** The MIME type of an image given by URL: from a data URL's header, or from an http(s) URL's extension. */
export function imageMimeTypeOfUrl(url: string): string {
  const dataUrl = parseDataUrl(url);
  if (dataUrl) return dataUrl.mimeType;
  let pathname = url;
  try {
    pathname = new URL(url).pathname;
  } catch {
    // not a URL: use the string as it is
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(pathname)?.[1].toLowerCase();
  return (extension && EXTENSION_MIME_TYPES[extension]) || UNKNOWN_IMAGE_MIME_TYPE;
}

export function isBase64(data: string): boolean {
  return /^[A-Za-z0-9+/_-]*={0,2}$/.test(data.replace(/\s+/g, ''));
}

/** `I see 2 images (image/png, image/jpeg).`, or undefined for none. */
export function describeImages(mimeTypes: readonly string[]): string | undefined {
  if (mimeTypes.length === 0) return undefined;
  const noun = mimeTypes.length === 1 ? 'image' : 'images';
  return `I see ${mimeTypes.length} ${noun} (${mimeTypes.join(', ')}).`;
}
