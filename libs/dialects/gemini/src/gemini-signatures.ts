/**
 * Thinking signatures between the Gemini wire and the canonical model.
 *
 * The canonical `ThinkingPart.signature` holds Anthropic's thinking signature, or Gemini's thoughtSignature of a
 * thought part. Only the vendor that wrote a signature can read it (Gemini answers 400 to a corrupted signature,
 * Anthropic to one it did not sign), so the two must stay apart through every client round trip:
 *
 * - canonical: Anthropic's signature as is; Gemini's behind `gemini:` (the Gemini provider writes it so, and sends
 *   only those back to Google, without the prefix);
 * - Gemini wire: Gemini's signature as is (what Google and the pass-through route give the caller); any other
 *   behind `foreign:` (and Anthropic's redacted thinking data behind `foreign-redacted:`), so it comes back
 *   recognisable and is never sent to Google (the pass-through drops such thought parts).
 *
 * Text and function-call signatures are Gemini's only (no other vendor has them) and travel unchanged.
 */
export const GEMINI_THOUGHT_SIGNATURE_PREFIX = 'gemini:';
export const FOREIGN_THOUGHT_SIGNATURE_PREFIX = 'foreign:';
export const FOREIGN_REDACTED_THINKING_PREFIX = 'foreign-redacted:';

/** A thought part's thoughtSignature as the canonical ThinkingPart's fields. */
export function thoughtSignatureToCanonical(wire: string): { signature?: string; redacted?: string } {
  if (wire.startsWith(FOREIGN_REDACTED_THINKING_PREFIX)) return { redacted: wire.slice(FOREIGN_REDACTED_THINKING_PREFIX.length) };
  if (wire.startsWith(FOREIGN_THOUGHT_SIGNATURE_PREFIX)) return { signature: wire.slice(FOREIGN_THOUGHT_SIGNATURE_PREFIX.length) };
  return { signature: `${GEMINI_THOUGHT_SIGNATURE_PREFIX}${wire}` };
}

/** A canonical thinking signature as a thought part's thoughtSignature. */
export function thoughtSignatureFromCanonical(canonical: string): string {
  if (canonical.startsWith(GEMINI_THOUGHT_SIGNATURE_PREFIX)) return canonical.slice(GEMINI_THOUGHT_SIGNATURE_PREFIX.length);
  return `${FOREIGN_THOUGHT_SIGNATURE_PREFIX}${canonical}`;
}
