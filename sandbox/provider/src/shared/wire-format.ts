// The wire formats the sandbox speaks. Fault rules, the request log and the error envelope for unknown paths are
// keyed by them.
export const WIRE_FORMATS = ['openai', 'anthropic', 'gemini'] as const;

export type WireFormat = (typeof WIRE_FORMATS)[number];
