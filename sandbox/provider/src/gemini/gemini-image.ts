// Gemini image generation (Nano Banana): a generateContent request whose generationConfig.responseModalities asks
// for IMAGE is answered with one real PNG of the size Google's tables give for imageConfig {aspectRatio,
// imageSize}, drawn deterministically from the prompt and the input images, as an inlineData part.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { createPrng } from '../shared/deterministic-text';
import { GeminiError } from './gemini-error';
import { countPromptTokens } from './gemini-generate.plan';
import type { GenerateContentRequest } from './gemini-generate.request';
import type { ResponseMeta } from './gemini-generate.render';

export type ImageSize = '1K' | '2K' | '4K';

/**
 * Pixels at 1K per aspect ratio: Google's table for its Gemini 3 image models; 2K doubles each side, 4K
 * quadruples it. The extreme ratios only Gemini 3.1 Flash Image has (1:4, 4:1, 1:8, 8:1) are about 1 MP likewise.
 */
export const IMAGE_DIMENSIONS_1K: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '2:3': [848, 1264],
  '3:2': [1264, 848],
  '3:4': [896, 1200],
  '4:3': [1200, 896],
  '4:5': [928, 1152],
  '5:4': [1152, 928],
  '9:16': [768, 1376],
  '16:9': [1376, 768],
  '21:9': [1584, 672],
  '1:4': [512, 2048],
  '4:1': [2048, 512],
  '1:8': [384, 3072],
  '8:1': [3072, 384],
};

const SCALE: Record<ImageSize, number> = { '1K': 1, '2K': 2, '4K': 4 };
/** Output tokens Gemini 3.1 Flash Image reports per image (Google's figures). */
const IMAGE_TOKENS: Record<ImageSize, number> = { '1K': 1120, '2K': 1680, '4K': 2520 };

export function imageDimensions(aspectRatio: string, imageSize: ImageSize): { width: number; height: number } {
  const [width, height] = IMAGE_DIMENSIONS_1K[aspectRatio];
  return { width: width * SCALE[imageSize], height: height * SCALE[imageSize] };
}

/** True when the request asks for images: responseModalities names IMAGE. */
export function wantsImage(request: GenerateContentRequest): boolean {
  return (request.generationConfig?.responseModalities ?? []).some((m) => m.toUpperCase() === 'IMAGE');
}

interface ImageConfig {
  aspectRatio?: string;
  imageSize?: string;
}

/** imageConfig as Google checks it: known keys (either spelling), a supported aspect ratio, 1K / 2K / 4K. */
export function parseImageConfig(raw: unknown): ImageConfig {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw GeminiError.invalidArgument('Invalid JSON payload received. generation_config.image_config must be an object.');
  const config: ImageConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'aspectRatio' || key === 'aspect_ratio') config.aspectRatio = String(value);
    else if (key === 'imageSize' || key === 'image_size') config.imageSize = String(value);
    else throw GeminiError.invalidArgument(`Invalid JSON payload received. Unknown name "${key}" at 'generation_config.image_config': Cannot find field.`);
  }
  if (config.aspectRatio !== undefined && !(config.aspectRatio in IMAGE_DIMENSIONS_1K)) {
    throw GeminiError.invalidArgument(`Unsupported aspect ratio: ${config.aspectRatio}.`);
  }
  if (config.imageSize !== undefined && !(config.imageSize in SCALE)) {
    throw GeminiError.invalidArgument(`Unsupported image size: ${config.imageSize}. Supported values are 1K, 2K and 4K.`);
  }
  return config;
}

interface InputImage {
  mimeType: string;
  data: Buffer;
}

function inputImages(request: GenerateContentRequest): InputImage[] {
  return request.contents.flatMap((content) =>
    (content.parts ?? []).flatMap((part) =>
      part.inlineData?.mimeType.startsWith('image/') ? [{ mimeType: part.inlineData.mimeType, data: Buffer.from(part.inlineData.data, 'base64') }] : [],
    ),
  );
}

/** Without an aspect ratio the model keeps the first input image's shape (a PNG's, read from its header), else 1:1. */
function defaultAspectRatio(images: InputImage[]): string {
  const first = images[0]?.data;
  if (!first || first.length < 24 || first.toString('latin1', 1, 4) !== 'PNG') return '1:1';
  const wanted = Math.log(first.readUInt32BE(16) / first.readUInt32BE(20));
  let best = '1:1';
  let distance = Infinity;
  for (const [ratio, [w, h]] of Object.entries(IMAGE_DIMENSIONS_1K)) {
    const d = Math.abs(Math.log(w / h) - wanted);
    if (d < distance) [best, distance] = [ratio, d];
  }
  return best;
}

/**
 * A PNG of `width`×`height`, the same for the same seed: a diagonal gradient between two colours, stripes, and a
 * disc, all chosen by the seed. 8-bit RGB, each row with the Sub filter, deflated by node:zlib: even 4K takes
 * about a second. Encoded here rather than with a library so the sandbox stays fast under any runtime (tests read
 * the result back with pngjs, an independent decoder).
 */
export function renderPng(width: number, height: number, seed: string): Buffer {
  const random = createPrng(createHash('sha256').update(seed).digest().readUInt32BE(0));
  const colour = () => [Math.floor(random() * 256), Math.floor(random() * 256), Math.floor(random() * 256)];
  const [from, to, disc] = [colour(), colour(), colour()];
  const stripe = 16 + Math.floor(random() * 48);
  const cx = width * (0.3 + random() * 0.4);
  const cy = height * (0.3 + random() * 0.4);
  const radius2 = (Math.min(width, height) * (0.15 + random() * 0.15)) ** 2;
  // The colour of every diagonal (x + y), striped and not, computed once.
  const diagonals = width + height;
  const palette = new Uint8Array(diagonals * 3);
  for (let d = 0; d < diagonals; d++) {
    const shade = Math.floor(d / stripe) % 2 === 0 ? 1 : 0.85;
    for (let c = 0; c < 3; c++) palette[d * 3 + c] = Math.round((from[c] + ((to[c] - from[c]) * d) / diagonals) * shade);
  }
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    raw[row] = 1; // Sub: each byte stored as the difference from the same channel of the pixel to its left
    const dy2 = (y - cy) * (y - cy);
    let r0 = 0;
    let g0 = 0;
    let b0 = 0;
    for (let x = 0; x < width; x++) {
      const inDisc = (x - cx) * (x - cx) + dy2 < radius2;
      const p = (x + y) * 3;
      const r = inDisc ? disc[0] : palette[p];
      const g = inDisc ? disc[1] : palette[p + 1];
      const b = inDisc ? disc[2] : palette[p + 2];
      const i = row + 1 + x * 3;
      raw[i] = (r - r0) & 0xff;
      raw[i + 1] = (g - g0) & 0xff;
      raw[i + 2] = (b - b0) & 0xff;
      r0 = r;
      g0 = g;
      b0 = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The GenerateContentResponse with one image, and its usage as Gemini reports it. */
export function renderImageResponse(request: GenerateContentRequest, meta: ResponseMeta): object {
  const config = parseImageConfig(request.generationConfig?.imageConfig);
  const images = inputImages(request);
  const aspectRatio = config.aspectRatio ?? defaultAspectRatio(images);
  const imageSize = (config.imageSize ?? '1K') as ImageSize;
  const { width, height } = imageDimensions(aspectRatio, imageSize);
  const prompt = request.contents.flatMap((c) => (c.parts ?? []).flatMap((p) => (p.text !== undefined ? [p.text] : []))).join('\n');
  const inputs = images.map((image) => createHash('sha256').update(image.data).digest('hex'));
  const png = renderPng(width, height, JSON.stringify([prompt, inputs, aspectRatio, imageSize]));
  const prompted = countPromptTokens(request);
  const promptTokenCount = prompted.text + prompted.image;
  const candidatesTokenCount = IMAGE_TOKENS[imageSize];
  return {
    candidates: [
      { content: { parts: [{ inlineData: { mimeType: 'image/png', data: png.toString('base64') } }], role: 'model' }, finishReason: 'STOP', index: 0 },
    ],
    usageMetadata: {
      promptTokenCount,
      candidatesTokenCount,
      totalTokenCount: promptTokenCount + candidatesTokenCount,
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: prompted.text },
        ...(prompted.image > 0 ? [{ modality: 'IMAGE', tokenCount: prompted.image }] : []),
      ],
      candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: candidatesTokenCount }],
    },
    modelVersion: meta.modelVersion,
    responseId: meta.responseId,
  };
}
