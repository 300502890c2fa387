import type { Dispatcher } from 'undici';
import { providers, ProviderId } from '@apitopmix/catalog';
import type { MusicJobRequest, MusicResult, VideoJobRequest, VideoResult } from '@apitopmix/dialects/media-tasks';
import { ConfigError } from '@apitopmix/platform/config';
import { UpstreamEndpoint, UpstreamTaskState } from '@apitopmix/providers/core';
import { SunoClient } from '@apitopmix/providers/suno';
import { XaiVideoClient } from '@apitopmix/providers/xai-video';
import { JobRecord, JobUsage } from './media-job.repository';

export const MEDIA_UPSTREAMS = Symbol('MEDIA_UPSTREAMS');

/** A finished job: what the client gets, and what it is billed for. */
export interface JobOutcome {
  result: VideoResult | MusicResult;
  usage: JobUsage;
}

/** One job's upstream calls, whatever its kind. */
export interface MediaUpstream {
  /** Returns the upstream's task id. */
  submit(job: JobRecord, signal?: AbortSignal): Promise<string>;
  fetch(job: JobRecord, upstreamTaskId: string, signal?: AbortSignal): Promise<UpstreamTaskState<JobOutcome>>;
}

export interface MediaUpstreamSource {
  /** Whether the provider has an endpoint (its key is set). */
  configured(provider: string): boolean;
  forJob(job: JobRecord): MediaUpstream;
}

/** The providers of asynchronous media, each configured like the chat providers: `<PREFIX>_API_KEY`, `<PREFIX>_BASE_URL`. */
const MEDIA_PROVIDERS: ProviderId[] = ['xai-video', 'suno'];

/** Endpoints from the environment, checked at boot: a provider is on when its key is set. */
export function mediaEndpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Map<string, UpstreamEndpoint> {
  const endpoints = new Map<string, UpstreamEndpoint>();
  const problems: string[] = [];
  for (const id of MEDIA_PROVIDERS) {
    const { envPrefix, defaultBaseUrl } = providers[id];
    const baseUrl = env[`${envPrefix}_BASE_URL`] || defaultBaseUrl;
    if (!/^https?:\/\/[^\s]+$/.test(baseUrl) || !URL.canParse(baseUrl)) problems.push(`${envPrefix}_BASE_URL: must be an http(s) URL (got "${baseUrl}")`);
    const apiKey = env[`${envPrefix}_API_KEY`];
    if (apiKey) endpoints.set(id, { provider: id, baseUrl, apiKey });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return endpoints;
}

/**
 * The xAI video and Suno adapters behind one interface: the stored request (validated at submit) goes out in the
 * upstream's format, and what comes back becomes the public result and the billed usage.
 *
 * Video is billed for the seconds delivered, never more than were asked for (and reserved); an upstream that does
 * not say how long the video is is billed the requested duration. Music is billed per track delivered.
 */
export class MediaUpstreams implements MediaUpstreamSource {
  private readonly video: XaiVideoClient;
  private readonly music: SunoClient;

  constructor(
    private readonly endpoints: Map<string, UpstreamEndpoint>,
    agent: Dispatcher,
    timeoutMs: number,
  ) {
    this.video = new XaiVideoClient(agent, timeoutMs);
    this.music = new SunoClient(agent, timeoutMs);
  }

  configured(provider: string): boolean {
    return this.endpoints.has(provider);
  }

  forJob(job: JobRecord): MediaUpstream {
    const endpoint = this.endpoints.get(job.provider);
    if (!endpoint) throw new Error(`no endpoint configured for provider ${job.provider}`);
    return job.kind === 'VIDEO' ? this.videoUpstream(endpoint) : this.musicUpstream(endpoint);
  }

  private videoUpstream(endpoint: UpstreamEndpoint): MediaUpstream {
    return {
      submit: (job, signal) => {
        const request = job.request as VideoJobRequest;
        const input = { prompt: request.prompt, durationSeconds: request.duration, resolution: request.resolution, aspectRatio: request.aspect_ratio };
        return this.video.submit(endpoint, job.upstreamModel, input, signal);
      },
      fetch: async (job, taskId, signal) => {
        const state = await this.video.fetch(endpoint, taskId, signal);
        if (state.status !== 'succeeded') return state;
        const asked = (job.request as VideoJobRequest).duration;
        const delivered = state.result.durationSeconds;
        const seconds = delivered === undefined ? asked : Math.min(asked, Math.round(delivered * 1000) / 1000);
        return { status: 'succeeded', result: { result: { output: state.result.url, duration: seconds }, usage: { unit: 'second', quantity: seconds } } };
      },
    };
  }

  private musicUpstream(endpoint: UpstreamEndpoint): MediaUpstream {
    return {
      submit: (job, signal) => {
        const request = job.request as MusicJobRequest;
        const input = {
          prompt: request.prompt,
          style: request.style,
          title: request.title,
          lyrics: request.lyrics,
          makeInstrumental: request.make_instrumental,
        };
        return this.music.submit(endpoint, job.upstreamModel, input, signal);
      },
      fetch: async (job, taskId, signal) => {
        const state = await this.music.fetch(endpoint, taskId, signal);
        if (state.status !== 'succeeded') return state;
        const request = job.request as MusicJobRequest;
        const tracks = state.result.map((track) => ({
          title: track.title || request.title || 'Untitled',
          audio_url: track.audioUrl,
          duration: track.durationSeconds ?? 0,
          style: track.style ?? request.style ?? '',
        }));
        return { status: 'succeeded', result: { result: { tracks }, usage: { unit: 'track', quantity: tracks.length } } };
      },
    };
  }
}
