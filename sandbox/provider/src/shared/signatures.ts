// Signatures the sandbox issues for reasoning it returns, and later checks when a client sends that reasoning
// back: Anthropic's `thinking.signature` and `redacted_thinking.data`, Gemini's `thoughtSignature` on function calls.
// They are HMACs under a fixed, public key, so they are deterministic (same content, same signature, on any
// machine) and any change to the signed content, or a signature moved to other content, is detected. A
// deterministic, public key is fine: these only have to prove that a gateway passed reasoning through untouched.
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNING_KEY = 'apitopmix-sandbox-reasoning-signatures-v1';
const MAC_BYTES = 32;

function mac(domain: string, content: string): Buffer {
  return createHmac('sha256', SIGNING_KEY).update(`${domain}\n${content}`).digest();
}

function sign(domain: string, content: string): string {
  // A short tag in front makes sandbox signatures recognisable in logs; the MAC follows.
  return Buffer.concat([Buffer.from(`sbx:${domain}:`), mac(domain, content)]).toString('base64');
}

function verify(domain: string, content: string, signature: string): boolean {
  const expected = Buffer.from(sign(domain, content));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The signature of an Anthropic thinking block: bound to the exact thinking text. */
export function thinkingSignature(thinking: string): string {
  return sign('anthropic-thinking', thinking);
}

export function isValidThinkingSignature(thinking: string, signature: string): boolean {
  return verify('anthropic-thinking', thinking, signature);
}

/** Opaque, self-verifying `redacted_thinking.data`: a payload derived from `seed`, then its MAC. */
export function redactedThinkingData(seed: number): string {
  const payload = createHmac('sha256', SIGNING_KEY).update(`redacted-payload\n${seed}`).digest();
  return Buffer.concat([payload, mac('anthropic-redacted', payload.toString('hex'))]).toString('base64');
}

export function isValidRedactedThinkingData(data: string): boolean {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length !== 2 * MAC_BYTES || bytes.toString('base64') !== data) return false;
  const expected = mac('anthropic-redacted', bytes.subarray(0, MAC_BYTES).toString('hex'));
  return timingSafeEqual(expected, bytes.subarray(MAC_BYTES));
}

/** The thoughtSignature of a Gemini function call: bound to its name and arguments (key order does not matter). */
export function functionCallSignature(name: string, args: unknown): string {
  return sign('gemini-function-call', canonicalJson({ name, args: args ?? {} }));
}

export function isValidFunctionCallSignature(name: string, args: unknown, signature: string): boolean {
  return verify('gemini-function-call', canonicalJson({ name, args: args ?? {} }), signature);
}

/** JSON with object keys sorted, so equal values serialise equally however a client ordered them. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
