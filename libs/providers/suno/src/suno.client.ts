import type { Dispatcher } from 'undici';
import { requestUpstreamJson, UpstreamEndpoint, UpstreamTaskState, withRetryAfter } from '@apitopmix/providers/core';
import { sunoApi } from './suno.api';
import { sunoError } from './suno.errors';
import { MusicInput, MusicTrack, readSunoSubmit, readSunoTask, toSunoRequest } from './suno.format';

/** Submits music tasks to a Suno relay and reads their state. Errors are GatewayErrors (see sunoError). */
export class SunoClient {
  constructor(
    private readonly agent: Dispatcher,
    private readonly timeoutMs: number,
  ) {}

  /** Returns the relay's task id. The protocol has no idempotency key: a call that timed out may have created a task. */
  async submit(endpoint: UpstreamEndpoint, upstreamModel: string, input: MusicInput, signal?: AbortSignal): Promise<string> {
    const response = await requestUpstreamJson(this.agent, endpoint.provider, {
      method: 'POST',
      url: sunoApi.submitMusicUrl(endpoint),
      headers: sunoApi.headers(endpoint),
      body: JSON.stringify(toSunoRequest(input, upstreamModel)),
      timeoutMs: this.timeoutMs,
      signal,
    });
    if (response.status >= 400) throw withRetryAfter(sunoError(response.status, response.text), response.headers);
    return readSunoSubmit(response.text);
  }

  async fetch(endpoint: UpstreamEndpoint, taskId: string, signal?: AbortSignal): Promise<UpstreamTaskState<MusicTrack[]>> {
    const response = await requestUpstreamJson(this.agent, endpoint.provider, {
      method: 'GET',
      url: sunoApi.fetchUrl(endpoint, taskId),
      headers: sunoApi.headers(endpoint),
      timeoutMs: this.timeoutMs,
      signal,
    });
    if (response.status >= 400) throw withRetryAfter(sunoError(response.status, response.text), response.headers);
    return readSunoTask(response.text);
  }
}
