// What the media routes share: the Bearer key check, reading a JSON object body, and the base URL of the files
// the sandbox serves for finished tasks (the host the client reached, as a CDN link would be absolute).
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxContext } from '../shared/sandbox-router';

/** True when the request carries `Authorization: Bearer <apiKey>`. */
export function hasBearer(headers: IncomingHttpHeaders, apiKey: string): boolean {
  return headers.authorization === `Bearer ${apiKey}`;
}

/** The body as a JSON object, or undefined. */
export function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function filesBaseUrl(ctx: SandboxContext): string {
  return `http://${ctx.req.headers.host ?? '127.0.0.1'}`;
}

export const videoFilePath = (taskId: string) => `/cdn/video/${taskId}.mp4`;
export const audioFilePath = (taskId: string, index: number) => `/cdn/audio/${taskId}/${index}.wav`;
