import type { Dispatcher } from 'undici';
import { requestUpstreamJson, UpstreamEndpoint, UpstreamTaskState, withRetryAfter } from '@apitopmix/providers/core';
import { xaiVideoApi } from './xai-video.api';
import { xaiVideoError } from './xai-video.errors';
import { readXaiSubmit, readXaiVideoState, toXaiVideoRequest, VideoInput, VideoResult } from './xai-video.format';

/** Submits video tasks to xAI and reads their state. Errors are GatewayErrors (see xaiVideoError). */
export class XaiVideoClient {
  constructor(
    private readonly agent: Dispatcher,
    private readonly timeoutMs: number,
  ) {}

  /** Returns xAI's `request_id`. xAI has no idempotency key: a call that timed out may or may not have created a task. */
  async submit(endpoint: UpstreamEndpoint, upstreamModel: string, input: VideoInput, signal?: AbortSignal): Promise<string> {
    const response = await requestUpstreamJson(this.agent, endpoint.provider, {
      method: 'POST',
      url: xaiVideoApi.generationsUrl(endpoint),
      headers: xaiVideoApi.headers(endpoint),
      body: JSON.stringify(toXaiVideoRequest(input, upstreamModel)),
      timeoutMs: this.timeoutMs,
      signal,
    });
    if (response.status >= 400) throw withRetryAfter(xaiVideoError(response.status, response.text), response.headers);
    return readXaiSubmit(response.text);
  }

  async fetch(endpoint: UpstreamEndpoint, requestId: string, signal?: AbortSignal): Promise<UpstreamTaskState<VideoResult>> {
    const response = await requestUpstreamJson(this.agent, endpoint.provider, {
      method: 'GET',
      url: xaiVideoApi.videoUrl(endpoint, requestId),
      headers: xaiVideoApi.headers(endpoint),
      timeoutMs: this.timeoutMs,
      signal,
    });
    if (response.status >= 400) throw withRetryAfter(xaiVideoError(response.status, response.text), response.headers);
    return readXaiVideoState(response.text);
  }
}
