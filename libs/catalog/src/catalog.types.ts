/**
 * The wire format an upstream speaks (and an inbound dialect's own format). Each is named for the vendor API it is,
 * because that is what an adapter has to implement:
 * - `openai-chat`: `POST /chat/completions` (OpenAI, NVIDIA NIM, DeepSeek).
 * - `anthropic-messages`: `POST /v1/messages`.
 * - `gemini`: `POST /v1beta/models/{model}:generateContent` / `:streamGenerateContent`.
 * - `openai-embeddings`: `POST /embeddings`.
 * - `gemini-embeddings`: `POST /v1beta/models/{model}:embedContent` / `:batchEmbedContents`.
 * - `gemini-image`: `generateContent` with `responseModalities: ['IMAGE']`, answered with `inlineData` image parts. Same
 *   endpoint as `gemini`, a different translation (OpenAI's images API in, image parts out), hence its own id.
 * - `xai-video`: xAI's asynchronous video API, `POST /videos/generations` → `request_id`, then `GET /videos/{request_id}`.
 * - `suno`: the Suno relay task protocol, `POST /suno/submit/music` → task id, then `GET /suno/fetch/{id}`, the same
 *   shape the spec exposes.
 */
export type WireFormatId = 'openai-chat' | 'anthropic-messages' | 'gemini' | 'openai-embeddings' | 'gemini-embeddings' | 'gemini-image' | 'xai-video' | 'suno';

/**
 * Who the gateway calls. `google` is the Gemini API (chat, embeddings and image generation); `deepseek` is DeepSeek's own
 * OpenAI-compatible API (the spec's DeepSeek models stay on `nvidia-nim`, "Via NVIDIA NIM"); `xai-video` is xAI's
 * video API; `suno` is a Suno relay.
 */
export type ProviderId = 'openai' | 'nvidia-nim' | 'anthropic' | 'google' | 'deepseek' | 'xai-video' | 'suno';

export type ModelKind = 'chat' | 'embedding' | 'image' | 'video' | 'music';

export interface Capabilities {
  streaming: boolean;
  tools: boolean;
  vision: boolean;
  /** The model can reason before answering; `ChatModelEntry.thinking` says how it is switched on. */
  thinking: boolean;
}

/**
 * How a chat model thinks.
 * - `always`: it always reasons (reasoning models); the caller may only tune the effort.
 * - `optional`: the caller turns it on with the upstream's own request fields (Anthropic `thinking`, Gemini
 *   `thinkingConfig`, a hybrid model's template switch).
 * - `variant`: this public id exists to turn it on. It is served by the same upstream model as `of`, with thinking
 *   enabled by the gateway and `budgetTokens` as the budget (see `thinkingRequestFor`).
 */
export type ThinkingSupport = { mode: 'always' } | { mode: 'optional' } | { mode: 'variant'; of: string; budgetTokens: number };

/**
 * Where a price came from: the spec's own tables (`spec`), or a vendor's list price with the spec's rate for that
 * family applied (`derived`), in which case `basis` says which list price and which rate. A `spec` price may carry
 * a `basis` too, to say where in the spec it is.
 */
export type PriceProvenance = { source: 'spec'; basis?: string } | { source: 'derived'; basis: string };

/**
 * Prices are integer micro-USD: exact for any price with up to six decimals, so no float ever touches money.
 * Token prices are per million tokens (chat: input and output; embeddings: input, output 0).
 */
export type TokenPrice = { unit: 'token'; inputMicrosPerMTok: number; outputMicrosPerMTok: number } & PriceProvenance;
export type ImagePrice = { unit: 'image'; microsPerImage: number } & PriceProvenance;
export type SecondPrice = { unit: 'second'; microsPerSecond: number } & PriceProvenance;
export type TrackPrice = { unit: 'track'; microsPerTrack: number } & PriceProvenance;
export type Price = TokenPrice | ImagePrice | SecondPrice | TrackPrice;
export type PriceUnit = Price['unit'];

interface ModelBase {
  /** Public id, as clients send it. */
  id: string;
  /** Other ids that resolve to this model. */
  aliases?: string[];
  /** The organisation that made the model (OpenAI's `owned_by`). */
  ownedBy: string;
  provider: ProviderId;
  /** The id the upstream knows the model by. */
  upstreamModel: string;
  /** Unix seconds; stable so /v1/models does not change between calls. */
  created: number;
}

export interface ChatModelEntry extends ModelBase {
  kind: 'chat';
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: Capabilities;
  thinking?: ThinkingSupport;
  price: TokenPrice;
}

export interface EmbeddingModelEntry extends ModelBase {
  kind: 'embedding';
  maxInputTokens: number;
  /** Length of the vectors returned by default. */
  dimensions: number;
  /** Whether the caller may ask for shorter vectors (OpenAI's `dimensions` parameter). */
  shortenableDimensions: boolean;
  price: TokenPrice;
}

export interface ImageModelEntry extends ModelBase {
  kind: 'image';
  /** Output resolutions the caller may ask for (`image_size`); the price does not depend on it. */
  imageSizes: string[];
  price: ImagePrice;
}

export interface VideoModelEntry extends ModelBase {
  kind: 'video';
  minSeconds: number;
  maxSeconds: number;
  defaultSeconds: number;
  resolutions: string[];
  price: SecondPrice;
}

export interface MusicModelEntry extends ModelBase {
  kind: 'music';
  price: TrackPrice;
}

export type ModelEntry = ChatModelEntry | EmbeddingModelEntry | ImageModelEntry | VideoModelEntry | MusicModelEntry;

/** The entry type for one kind: `ModelOfKind<'chat'>` is `ChatModelEntry`. */
export type ModelOfKind<K extends ModelKind> = Extract<ModelEntry, { kind: K }>;
