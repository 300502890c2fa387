import { z } from 'zod';
import type { VideoModelEntry } from '@apitopmix/catalog';
import { GatewayError } from '@apitopmix/platform/errors';
import { parseBody } from './request-errors';

/** The spec's aspect ratios for video; the first is the default. */
export const VIDEO_ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const;
/** The spec's default resolution. */
export const DEFAULT_VIDEO_RESOLUTION = '480p';

const text = z.string().refine((value) => value.trim() !== '', { message: 'must not be empty' });

/**
 * `POST /v1/videos`. Ranges that depend on the model (duration, resolution) are checked by `resolveVideoRequest`
 * once the model is known. Unknown fields are ignored, not refused.
 */
export const videoRequestSchema = z.looseObject({
  model: z.string().min(1),
  prompt: text,
  duration: z.number().int().optional(),
  resolution: z.string().min(1).optional(),
  aspect_ratio: z.enum(VIDEO_ASPECT_RATIOS).optional(),
});

export type VideoRequestBody = z.infer<typeof videoRequestSchema>;

/** A video job's request as stored and submitted: validated, every default applied. */
export interface VideoJobRequest {
  model: string;
  prompt: string;
  /** Seconds. */
  duration: number;
  resolution: string;
  aspect_ratio: (typeof VIDEO_ASPECT_RATIOS)[number];
}

export function parseVideoRequest(body: unknown): VideoRequestBody {
  return parseBody(videoRequestSchema, body);
}

/**
 * The request checked against its model (the spec's request table: 5–15 seconds, default 8; 480p or 720p, default
 * 480p; 16:9, 9:16 or 1:1, default 16:9), with the defaults applied. `model` becomes the catalog id.
 */
export function resolveVideoRequest(
  request: VideoRequestBody,
  model: Pick<VideoModelEntry, 'id' | 'minSeconds' | 'maxSeconds' | 'defaultSeconds' | 'resolutions'>,
): VideoJobRequest {
  const duration = request.duration ?? model.defaultSeconds;
  if (duration < model.minSeconds || duration > model.maxSeconds) {
    throw GatewayError.invalid(`Invalid value for 'duration': must be from ${model.minSeconds} to ${model.maxSeconds} seconds for ${model.id}.`, 'duration');
  }
  const resolution = request.resolution ?? (model.resolutions.includes(DEFAULT_VIDEO_RESOLUTION) ? DEFAULT_VIDEO_RESOLUTION : model.resolutions[0]);
  if (!model.resolutions.includes(resolution)) {
    throw GatewayError.invalid(`Invalid value for 'resolution': must be one of ${model.resolutions.map((r) => `'${r}'`).join(', ')}.`, 'resolution');
  }
  return { model: model.id, prompt: request.prompt, duration, resolution, aspect_ratio: request.aspect_ratio ?? VIDEO_ASPECT_RATIOS[0] };
}
