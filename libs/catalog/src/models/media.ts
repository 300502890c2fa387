import { ImageModelEntry, MusicModelEntry, VideoModelEntry } from '../catalog.types';
import { derivedTrackPrice, specImagePrice, specSecondPrice } from '../pricing';
import { CATALOG_V2 } from './shared';

/**
 * nano-banana-2 is Google's name for Gemini 3.1 Flash Image. Its preview id, gemini-3.1-flash-image-preview, was
 * shut down on 2026-06-25 in favour of the GA gemini-3.1-flash-image, which serves it; both Gemini ids resolve here
 * too, for Gemini-native callers. The spec's flat $0.082 applies to every `image_size`.
 */
export const imageModels: ImageModelEntry[] = [
  {
    id: 'nano-banana-2',
    aliases: ['gemini-3.1-flash-image', 'gemini-3.1-flash-image-preview'],
    ownedBy: 'google',
    provider: 'google',
    upstreamModel: 'gemini-3.1-flash-image',
    kind: 'image',
    imageSizes: ['1K', '2K', '4K'],
    price: specImagePrice('0.082'),
    created: CATALOG_V2,
  },
];

/**
 * grok-video-3 is served by xAI's video model, grok-imagine-video. The spec's request table allows 5–15 seconds
 * (default 8) where its price table says 1–15; requests are validated against the request table.
 */
export const videoModels: VideoModelEntry[] = [
  {
    id: 'grok-video-3',
    ownedBy: 'xai',
    provider: 'xai-video',
    upstreamModel: 'grok-imagine-video',
    kind: 'video',
    minSeconds: 5,
    maxSeconds: 15,
    defaultSeconds: 8,
    resolutions: ['480p', '720p'],
    price: specSecondPrice('0.030', 'spec video pricing: $0.030/sec (40% off official), any resolution'),
    created: CATALOG_V2,
  },
];

const sunoTrackPrice = derivedTrackPrice(
  '0.04',
  0,
  'the spec gives no music price; sunoapi.com, a public Suno API, sells credits at $0.08 per 10 and charges 10 credits per generation of two songs: $0.04 a song, no discount applied',
);

/**
 * Suno through a relay (`mv` is Suno's internal model name: chirp-auk is v4.5, chirp-crow is v5). The spec's
 * /suno/submit/music takes no model, so `suno` names the default, the newest. Charged per track delivered.
 */
export const musicModels: MusicModelEntry[] = [
  {
    id: 'suno-v5',
    aliases: ['suno'],
    ownedBy: 'suno',
    provider: 'suno',
    upstreamModel: 'chirp-crow',
    kind: 'music',
    price: sunoTrackPrice,
    created: CATALOG_V2,
  },
  { id: 'suno-v4.5', ownedBy: 'suno', provider: 'suno', upstreamModel: 'chirp-auk', kind: 'music', price: sunoTrackPrice, created: CATALOG_V2 },
];
