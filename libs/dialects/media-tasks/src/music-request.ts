import { z } from 'zod';
import { parseBody } from './request-errors';

/** The model `/suno/submit/music` uses when the body names none (the catalog's alias of the newest Suno). */
export const DEFAULT_MUSIC_MODEL = 'suno';

const text = z.string().refine((value) => value.trim() !== '', { message: 'must not be empty' });
const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value === null || value === undefined || value.trim() === '' ? undefined : value));

/** `POST /suno/submit/music`: `prompt` required; `style`, `title`, `lyrics`, `make_instrumental` optional. */
export const musicRequestSchema = z.looseObject({
  prompt: text,
  style: optionalText,
  title: optionalText,
  lyrics: optionalText,
  make_instrumental: z.boolean().nullish(),
  /** Not in the spec's table: picks a Suno version (`suno-v5`, `suno-v4.5`); the default is the newest. */
  model: z.string().min(1).optional(),
});

/** A music job's request as stored and submitted: validated, every default applied. */
export interface MusicJobRequest {
  model: string;
  prompt: string;
  style?: string;
  title?: string;
  lyrics?: string;
  make_instrumental: boolean;
}

/** Validates the body; `model` stays as the caller named it (or the default) until the catalog resolves it. */
export function parseMusicRequest(body: unknown): MusicJobRequest {
  const request = parseBody(musicRequestSchema, body);
  return {
    model: request.model ?? DEFAULT_MUSIC_MODEL,
    prompt: request.prompt,
    ...(request.style ? { style: request.style } : {}),
    ...(request.title ? { title: request.title } : {}),
    ...(request.lyrics ? { lyrics: request.lyrics } : {}),
    make_instrumental: request.make_instrumental ?? false,
  };
}
