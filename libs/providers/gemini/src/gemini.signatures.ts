/**
 * Signature conventions shared with the Gemini dialect (libs/dialects/gemini/src/gemini-signatures.ts, where they
 * are explained; the two libraries may not import each other, so the strings are repeated and pinned by tests).
 * - A canonical ThinkingPart whose signature starts with `gemini:` came from Gemini; it is the only thinking sent
 *   back to Google. Any other thinking signature is another vendor's (Anthropic's), which Gemini cannot read.
 * - On the Gemini wire, another vendor's thinking travels behind `foreign:` / `foreign-redacted:`.
 */
export const GEMINI_THOUGHT_SIGNATURE_PREFIX = 'gemini:';
export const FOREIGN_THOUGHT_SIGNATURE_PREFIXES = ['foreign:', 'foreign-redacted:'] as const;

/**
 * Google's documented stand-in signature for function calls Gemini did not make itself (another vendor's turns,
 * or a client that dropped the signature): Gemini 3 answers 400 when the first functionCall of a step in the
 * current turn has no signature.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export const isForeignThoughtSignature = (signature: unknown): boolean =>
  typeof signature === 'string' && FOREIGN_THOUGHT_SIGNATURE_PREFIXES.some((prefix) => signature.startsWith(prefix));
