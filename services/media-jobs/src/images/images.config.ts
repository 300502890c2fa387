import { positiveInt } from '@apitopmix/platform/config';

/**
 * The images' settings, spread into media-jobs' configuration schema. Gemini is configured like chat's providers
 * (`GEMINI_API_KEY`, `GEMINI_BASE_URL`, or `ROUTING_CONFIG_FILE`; see libs/providers/routing).
 */
export const imagesEnv = {
  /** How long a generated image stays downloadable: its URL and its stored bytes expire together. OpenAI's is 60 min. */
  MEDIA_URL_TTL_SECONDS: positiveInt.max(7 * 24 * 3600).default(3_600),
  /** How often expired media is deleted from the store. */
  MEDIA_SWEEP_INTERVAL_MS: positiveInt.default(60_000),
  /**
   * Most time an image generation call may take to answer (Gemini sends nothing until the image is done: 4K takes
   * tens of seconds), and most silence while its body arrives.
   */
  IMAGE_UPSTREAM_TIMEOUT_MS: positiveInt.default(180_000),
};
