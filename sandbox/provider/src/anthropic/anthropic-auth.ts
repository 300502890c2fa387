// Anthropic authenticates with `x-api-key` and requires an `anthropic-version` header on every request.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AnthropicError } from './anthropic-error';

export const ANTHROPIC_VERSIONS = ['2023-06-01', '2023-01-01'] as const;

export function assertAnthropicHeaders(headers: IncomingHttpHeaders, expectedKey: string): void {
  const key = single(headers['x-api-key'])?.trim();
  if (!key) throw AnthropicError.missingApiKey();
  if (!sameSecret(key, expectedKey)) throw AnthropicError.invalidApiKey();
  const version = single(headers['anthropic-version'])?.trim();
  if (!version) throw AnthropicError.missingVersion();
  if (!(ANTHROPIC_VERSIONS as readonly string[]).includes(version)) throw AnthropicError.invalidVersion(version);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
