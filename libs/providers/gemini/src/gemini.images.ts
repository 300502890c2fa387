import type { Dispatcher } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { postUpstreamChecked, upstreamTransportError, UpstreamEndpoint, UpstreamTimeouts } from '@apitopmix/providers/core';
import { geminiApi } from './gemini.api';
import { geminiUpstreamError } from './gemini.errors';

/**
 * Image generation through Gemini's `generateContent` (Nano Banana): the prompt and any input images as parts in,
 * `generationConfig.responseModalities: ["IMAGE"]` with `imageConfig {aspectRatio, imageSize}`, and the image back
 * as an `inlineData` part. One call yields one image.
 */

/** Output resolutions, Google's names (upper-case K: Google refuses `1k`). */
export type GeminiImageSize = '1K' | '2K' | '4K';
export const GEMINI_IMAGE_SIZES: readonly GeminiImageSize[] = ['1K', '2K', '4K'];

/**
 * Aspect ratios of Gemini 3.1 Flash Image (nano-banana-2): the ten of every Gemini image model plus the extreme
 * 1:4, 4:1, 1:8 and 8:1 that only 3.1 Flash Image has.
 */
export const GEMINI_IMAGE_ASPECT_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9', '1:4', '4:1', '1:8', '8:1'] as const;
export type GeminiAspectRatio = (typeof GEMINI_IMAGE_ASPECT_RATIOS)[number];

/** Most inline images a request may carry (Google's limit for Gemini 3 image models). */
export const GEMINI_IMAGE_MAX_INPUT_IMAGES = 14;

/** A `size` further than this from every supported ratio (5%, on a log scale) is refused rather than distorted. */
const RATIO_TOLERANCE = Math.log(1.05);

/** Tier boundaries for a `size` without `image_size`: the geometric means of 1, 4 and 16 megapixels. */
const TWO_MEGAPIXELS = 2 * 1024 * 1024;
const EIGHT_MEGAPIXELS = 8 * 1024 * 1024;

const ratioValue = (ratio: string) => {
  const [w, h] = ratio.split(':').map(Number);
  return w / h;
};

export interface ImageConfigChoice {
  /** Absent: the model chooses (1:1 for a prompt alone, the input image's shape for an edit). */
  aspectRatio?: GeminiAspectRatio;
  imageSize: GeminiImageSize;
}

/**
 * What OpenAI's `size` and the gateway's `image_size` become in Gemini's `imageConfig`:
 * - `size` gives the shape only: the supported aspect ratio nearest to width/height (compared on a log scale), which
 *   must be within 5% of it (1792x1024 is 16:9; 3000x1000 is refused). Absent or `auto`: no aspect ratio is sent.
 * - `image_size` gives the resolution, as Google's tiers (1K ≈ 1 MP, 2K ≈ 4 MP, 4K ≈ 16 MP). Absent, it is read off
 *   `size`'s pixel count, to the nearest tier on a log scale (up to 2 MP → 1K, which covers all of OpenAI's sizes;
 *   up to 8 MP → 2K; beyond → 4K); with neither, 1K (the spec's default). When both are given, `image_size` wins
 *   for the resolution and `size` still sets the shape: `1024x1024` with `4K` is a 4096x4096 image.
 * Refusals are 400s naming the field.
 */
export function geminiImageConfig(size: { width: number; height: number } | undefined, imageSize: string | undefined): ImageConfigChoice {
  if (imageSize !== undefined && !(GEMINI_IMAGE_SIZES as readonly string[]).includes(imageSize)) {
    throw GatewayError.invalid(`Invalid value for 'image_size': '${imageSize}'. Use one of '1K', '2K', '4K'.`, 'image_size');
  }
  if (!size) return { imageSize: (imageSize as GeminiImageSize | undefined) ?? '1K' };
  return { aspectRatio: nearestAspectRatio(size), imageSize: (imageSize as GeminiImageSize | undefined) ?? tierForPixels(size.width * size.height) };
}

export function nearestAspectRatio(size: { width: number; height: number }): GeminiAspectRatio {
  const wanted = Math.log(size.width / size.height);
  let best: GeminiAspectRatio = '1:1';
  let distance = Infinity;
  for (const ratio of GEMINI_IMAGE_ASPECT_RATIOS) {
    const d = Math.abs(Math.log(ratioValue(ratio)) - wanted);
    if (d < distance) [best, distance] = [ratio, d];
  }
  if (distance > RATIO_TOLERANCE) {
    throw GatewayError.invalid(
      `Invalid value for 'size': ${size.width}x${size.height} has an aspect ratio this model cannot produce. ` +
        `Supported ratios: ${GEMINI_IMAGE_ASPECT_RATIOS.join(', ')} (for example 1024x1024, 1536x1024, 1024x1536, 1792x1024).`,
      'size',
    );
  }
  return best;
}

export function tierForPixels(pixels: number): GeminiImageSize {
  if (pixels <= TWO_MEGAPIXELS) return '1K';
  if (pixels <= EIGHT_MEGAPIXELS) return '2K';
  return '4K';
}

export interface GeminiInputImage {
  mimeType: string;
  data: Buffer;
}

/** The generateContent body: the prompt, then the input images in order, as one user turn. */
export function toGeminiImageRequest(prompt: string, images: readonly GeminiInputImage[], config: ImageConfigChoice): Record<string, unknown> {
  if (images.length > GEMINI_IMAGE_MAX_INPUT_IMAGES) {
    throw GatewayError.invalid(`Invalid value for 'image': this model takes at most ${GEMINI_IMAGE_MAX_INPUT_IMAGES} input images.`, 'image');
  }
  return {
    contents: [
      {
        role: 'user',
        parts: [{ text: prompt }, ...images.map((image) => ({ inlineData: { mimeType: image.mimeType, data: image.data.toString('base64') } }))],
      },
    ],
    generationConfig: {
      responseModalities: ['IMAGE'],
      imageConfig: { ...(config.aspectRatio ? { aspectRatio: config.aspectRatio } : {}), imageSize: config.imageSize },
    },
  };
}

export interface GeminiGeneratedImage {
  mimeType: string;
  data: Buffer;
}

/** Finish and block reasons that mean Google's filters refused: the caller's prompt or images are at fault, not us. */
const refusals = new Set(['SAFETY', 'IMAGE_SAFETY', 'PROHIBITED_CONTENT', 'IMAGE_PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION', 'IMAGE_RECITATION']);

interface ImageResponse {
  candidates?: { content?: { parts?: { inlineData?: { mimeType?: unknown; data?: unknown }; thought?: unknown }[] }; finishReason?: unknown }[];
  promptFeedback?: { blockReason?: unknown };
}

/**
 * The image in a generateContent response: the first `inlineData` image part that is not a thought (Gemini 3 image
 * models may show interim images as thoughts). No image is an error: a refusal by Google's filters (prompt blocked,
 * or a safety finish reason) is the caller's 400; any other answer without an image (`NO_IMAGE`, text only) is
 * the upstream failing, 503, which the router may retry.
 */
export function fromGeminiImageResponse(json: unknown, provider: string): GeminiGeneratedImage {
  const response = (json ?? {}) as ImageResponse;
  const blockReason = response.promptFeedback?.blockReason;
  if (typeof blockReason === 'string') {
    throw new GatewayError(ErrorCode.UpstreamRejected, `The prompt was blocked by the upstream model's safety filters (${blockReason}).`, { status: 400 });
  }
  const candidate = Array.isArray(response.candidates) ? response.candidates[0] : undefined;
  for (const part of candidate?.content?.parts ?? []) {
    const inline = part?.inlineData;
    if (part.thought === true || typeof inline?.data !== 'string' || typeof inline.mimeType !== 'string' || !inline.mimeType.startsWith('image/')) continue;
    const data = Buffer.from(inline.data, 'base64');
    if (data.length === 0) break;
    return { mimeType: inline.mimeType, data };
  }
  const reason = typeof candidate?.finishReason === 'string' ? candidate.finishReason : 'none';
  if (refusals.has(reason)) {
    throw new GatewayError(ErrorCode.UpstreamRejected, `The image was not generated: the upstream model's safety filters refused it (${reason}).`, {
      status: 400,
    });
  }
  throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) returned no image (finish reason ${reason}).`);
}

/** One image generation call against Google's Gemini API. */
export class GeminiImages {
  constructor(
    private readonly agent: Dispatcher,
    private readonly timeouts: UpstreamTimeouts,
  ) {}

  async generate(endpoint: UpstreamEndpoint, upstreamModel: string, body: string, signal?: AbortSignal): Promise<GeminiGeneratedImage> {
    const request = { url: geminiApi.generateContentUrl(endpoint, upstreamModel), headers: geminiApi.headers(endpoint), body, timeouts: this.timeouts, signal };
    const response = await postUpstreamChecked(this.agent, endpoint.provider, request, (status, text) => geminiUpstreamError(endpoint.provider, status, text));
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      if (signal?.aborted) throw error;
      throw upstreamTransportError(endpoint.provider, error);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${endpoint.provider}) sent an unreadable response.`, { cause: error });
    }
    return fromGeminiImageResponse(json, endpoint.provider);
  }
}
