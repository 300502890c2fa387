// Deterministic text and token arithmetic shared by every sandbox wire format.
// The sandbox never runs a model: replies are a pure function of the request, so tests can assert exact content,
// and every format (OpenAI, Anthropic, Gemini, ...) counts "tokens" the same way.
import { createHash } from 'node:crypto';

/**
 * A sandbox token is a run of up to 8 non-space characters together with the whitespace before it, or a trailing run
 * of whitespace. Splitting is lossless (the pieces concatenate back to the text), so the pieces double as stream
 * chunks and `completion_tokens` always equals the number of streamed content pieces. The `u` flag keeps surrogate
 * pairs (emoji) inside one piece, so no chunk carries half a character.
 */
const TOKEN_PATTERN = /\s*\S{1,8}|\s+/gu;

export function splitTokens(text: string): string[] {
  return text.match(TOKEN_PATTERN) ?? [];
}

export function countTokens(text: string): number {
  return splitTokens(text).length;
}

/** A 32-bit seed from any JSON-serialisable inputs; the same inputs give the same seed on every machine. */
export function seedFrom(...parts: unknown[]): number {
  return createHash('sha256').update(JSON.stringify(parts)).digest().readUInt32BE(0);
}

/** mulberry32: tiny, fast and good enough to pick words; returns floats in [0, 1). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Plain, neutral words: easy to read in logs and unlikely to collide with a test's stop sequence by accident.
// prettier-ignore
const FILLER_WORDS = [
  'alpha', 'amber', 'anchor', 'arbor', 'beacon', 'birch', 'bramble', 'breeze', 'canyon', 'cedar', 'cobalt', 'comet',
  'coral', 'delta', 'drift', 'ember', 'falcon', 'fern', 'fjord', 'glade', 'granite', 'harbor', 'hazel', 'horizon',
  'indigo', 'island', 'jasper', 'juniper', 'kestrel', 'lagoon', 'lantern', 'linen', 'maple', 'meadow', 'mesa',
  'nectar', 'nimbus', 'oasis', 'orchid', 'pebble', 'pine', 'prairie', 'quartz', 'quill', 'raven', 'reef', 'ripple',
  'sable', 'sierra', 'spruce', 'summit', 'tide', 'timber', 'topaz', 'tundra', 'umber', 'valley', 'velvet', 'willow',
  'wren', 'yarrow', 'zenith', 'zephyr', 'thistle',
];

export const SUBJECT_MAX_CHARS = 40;
export const MIN_FILLER_WORDS = 12;
export const MAX_FILLER_WORDS = 36;

/** The first `maxChars` characters (code points) of the text, with whitespace runs collapsed to one space. */
export function subjectOf(text: string, maxChars = SUBJECT_MAX_CHARS): string {
  return Array.from(text.replace(/\s+/g, ' ').trim()).slice(0, maxChars).join('');
}

/**
 * `Sandbox reply to "<first 40 chars of subject>": <12..36 filler words>.` The word count and the words come from
 * the seed, so callers decide what makes two replies equal by choosing what they hash into it. A `lead` sentence
 * (for example what images the sandbox saw) goes between the quote and the filler words.
 */
export function composeReply(subject: string, seed: number, lead?: string): string {
  const random = createPrng(seed);
  const wordCount = MIN_FILLER_WORDS + Math.floor(random() * (MAX_FILLER_WORDS - MIN_FILLER_WORDS + 1));
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) words.push(FILLER_WORDS[Math.floor(random() * FILLER_WORDS.length)]);
  return `Sandbox reply to "${subjectOf(subject)}": ${lead ? `${lead} ` : ''}${words.join(' ')}.`;
}

export const MIN_THINKING_WORDS = 8;
export const MAX_THINKING_WORDS = 20;

/** `Sandbox thinking about "<first 40 chars of subject>": <8..20 filler words>.`, seeded apart from the reply. */
export function composeThinking(subject: string, seed: number): string {
  const random = createPrng(seedFrom(seed, 'thinking'));
  const wordCount = MIN_THINKING_WORDS + Math.floor(random() * (MAX_THINKING_WORDS - MIN_THINKING_WORDS + 1));
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) words.push(FILLER_WORDS[Math.floor(random() * FILLER_WORDS.length)]);
  return `Sandbox thinking about "${subjectOf(subject)}": ${words.join(' ')}.`;
}

/** One filler word chosen by the hash of `parts`: how tool arguments get deterministic string values. */
export function wordFor(...parts: unknown[]): string {
  return FILLER_WORDS[seedFrom(...parts) % FILLER_WORDS.length];
}

export type TruncationReason = 'stop' | 'length';

export interface TruncatedText {
  text: string;
  pieces: string[];
  reason: TruncationReason;
  /** The stop sequence that ended the text (reason `stop` only), as Anthropic reports it; null otherwise. */
  stopSequence: string | null;
}

/**
 * Applies what a model does while generating: stop at the earliest stop sequence (excluded from the output, as
 * OpenAI does), then at `maxTokens` pieces. Whichever comes first wins, matching token-by-token generation.
 */
export function truncateReply(text: string, options: { stop?: readonly string[]; maxTokens?: number }): TruncatedText {
  let cut = text;
  let stopSequence: string | null = null;
  for (const sequence of options.stop ?? []) {
    const at = sequence === '' ? -1 : cut.indexOf(sequence);
    if (at >= 0) {
      // Each later cut is inside the earlier one, so the last sequence that cuts is the one found first in the text.
      cut = cut.slice(0, at);
      stopSequence = sequence;
    }
  }
  const pieces = splitTokens(cut);
  if (options.maxTokens !== undefined && pieces.length > options.maxTokens) {
    const kept = pieces.slice(0, options.maxTokens);
    return { text: kept.join(''), pieces: kept, reason: 'length', stopSequence: null };
  }
  return { text: cut, pieces, reason: 'stop', stopSequence };
}

const OBFUSCATION_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A deterministic stand-in for the random padding some providers add to stream chunks against size side channels. */
export function paddingString(random: () => number, maxLength = 12): string {
  const length = 1 + Math.floor(random() * maxLength);
  let out = '';
  for (let i = 0; i < length; i++) out += OBFUSCATION_ALPHABET[Math.floor(random() * OBFUSCATION_ALPHABET.length)];
  return out;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A deterministic id body of `length` letters and digits from the hash of `parts` (tool-call ids). */
export function idFrom(length: number, ...parts: unknown[]): string {
  const digest = createHash('sha512').update(JSON.stringify(parts)).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ID_ALPHABET[digest[i % digest.length] % ID_ALPHABET.length];
  return out;
}
