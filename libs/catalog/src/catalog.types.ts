/** The wire format an upstream speaks (and an inbound dialect's own format). */
export type WireFormatId = 'openai-chat' | 'anthropic-messages' | 'gemini';

export type ProviderId = 'openai' | 'nvidia-nim';

export interface Capabilities {
  streaming: boolean;
  tools: boolean;
  vision: boolean;
  thinking: boolean;
}

/**
 * Prices in integer micro-USD per million tokens: exact for any price with up to six decimals, so no float ever
 * touches money. `source` says where the number came from: the spec's own table, or the vendor's list price with
 * the spec's discount for that family applied (`derived`, with the basis in `basis`).
 */
export interface TokenPrice {
  inputMicrosPerMTok: number;
  outputMicrosPerMTok: number;
  source: 'spec' | 'derived';
  basis?: string;
}

export interface ModelEntry {
  /** Public id, as clients send it. */
  id: string;
  /** Other ids that resolve to this model. */
  aliases?: string[];
  /** The organisation that made the model (OpenAI's `owned_by`). */
  ownedBy: string;
  provider: ProviderId;
  /** The id the upstream knows the model by. */
  upstreamModel: string;
  kind: 'chat';
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: Capabilities;
  price: TokenPrice;
  /** Unix seconds; stable so /v1/models does not change between calls. */
  created: number;
}
