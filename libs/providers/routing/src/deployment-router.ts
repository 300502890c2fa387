import { ModelEntry, providers } from '@apitopmix/catalog';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import { UpstreamEndpoint } from '@apitopmix/providers/core';
import { DeploymentConfig, RoutingConfig } from './routing.config';

export interface Deployment {
  name: string;
  endpoint: UpstreamEndpoint;
  weight: number;
  serves(modelId: string): boolean;
}

interface Health {
  failures: number[];
  coolUntil: number;
}

export interface RouteOutcome<T> {
  result: T;
  deployment: Deployment;
  attempts: number;
}

/** Upstream failures worth another attempt: throttling, 5xx, timeouts, connection errors. Never the caller's 4xx. */
export function isRetryable(error: unknown): boolean {
  return isGatewayError(error) && (error.code === ErrorCode.UpstreamUnavailable || error.code === ErrorCode.UpstreamTimeout);
}

/**
 * Chooses the upstream deployment for each attempt of a request. The first attempt goes to a healthy deployment
 * drawn by weight; a retryable failure moves on to the next one (or back to the same, if it is alone), after an
 * exponential backoff with jitter and, for a deployment that sent Retry-After, not before that. A deployment that
 * fails `cooldown.failures` times within `cooldown.windowMs` is left out for `cooldown.durationMs`. All of this
 * happens before the first byte reaches the client: once a stream has begun, it is never retried.
 */
export class DeploymentRouter {
  private readonly deployments: Deployment[];
  private readonly health = new Map<string, Health>();

  constructor(
    private readonly config: RoutingConfig,
    env: NodeJS.ProcessEnv = process.env,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {
    this.deployments = config.deployments.map((d) => toDeployment(d, env));
    for (const d of this.deployments) this.health.set(d.name, { failures: [], coolUntil: 0 });
  }

  /** Runs `attempt` against deployments until one succeeds, a failure is not retryable, or the budget is spent. */
  async run<T>(model: ModelEntry, attempt: (deployment: Deployment) => Promise<T>, signal?: AbortSignal): Promise<RouteOutcome<T>> {
    const candidates = this.deployments.filter((d) => d.endpoint.provider === model.provider && d.serves(model.id));
    if (candidates.length === 0) {
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The model '${model.id}' is not available: no upstream deployment is configured for it.`);
    }
    const started = this.now();
    const tried: Deployment[] = [];
    let lastError: unknown;
    for (let n = 1; n <= this.config.retry.maxAttempts; n++) {
      const next = this.pick(candidates, tried);
      if (!next) break;
      const waitMs = Math.max(n === 1 ? 0 : this.backoff(n), this.health.get(next.name)!.coolUntil - this.now());
      if (n > 1 && this.now() + waitMs - started > this.config.totalTimeoutMs) break;
      if (waitMs > 0) await this.sleep(waitMs, signal);
      tried.push(next);
      try {
        const result = await attempt(next);
        this.health.get(next.name)!.failures = [];
        return { result, deployment: next, attempts: n };
      } catch (error) {
        if (signal?.aborted || !isRetryable(error)) throw error;
        this.recordFailure(next, error as GatewayError);
        lastError = error;
      }
    }
    if (lastError) throw lastError;
    throw new GatewayError(ErrorCode.UpstreamUnavailable, `Every upstream deployment of '${model.id}' is failing or cooling down. Please retry shortly.`);
  }

  /**
   * The next deployment to try: untried healthy ones first (weighted draw), then the least recently tried one that
   * will be usable within maxRetryAfterMs. Undefined when none will be.
   */
  private pick(candidates: Deployment[], tried: Deployment[]): Deployment | undefined {
    const now = this.now();
    const usable = (d: Deployment) => this.health.get(d.name)!.coolUntil <= now;
    const fresh = candidates.filter((d) => usable(d) && !tried.includes(d));
    if (fresh.length > 0) return this.weighted(fresh);
    const soon = candidates
      .filter((d) => this.health.get(d.name)!.coolUntil - now <= this.config.retry.maxRetryAfterMs)
      .sort((a, b) => tried.lastIndexOf(a) - tried.lastIndexOf(b));
    return soon[0];
  }

  private weighted(deployments: Deployment[]): Deployment {
    const total = deployments.reduce((sum, d) => sum + d.weight, 0);
    let point = this.random() * total;
    for (const d of deployments) {
      point -= d.weight;
      if (point < 0) return d;
    }
    return deployments[deployments.length - 1];
  }

  /** base × 2^(n−2) for the nth attempt, with "equal jitter" (half fixed, half random), capped. */
  private backoff(n: number): number {
    const { baseDelayMs, maxDelayMs } = this.config.retry;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 2));
    return ceiling / 2 + this.random() * (ceiling / 2);
  }

  private recordFailure(deployment: Deployment, error: GatewayError): void {
    const health = this.health.get(deployment.name)!;
    const now = this.now();
    const { failures, windowMs, durationMs } = this.config.cooldown;
    health.failures = [...health.failures.filter((t) => now - t < windowMs), now];
    if (health.failures.length >= failures) {
      health.coolUntil = Math.max(health.coolUntil, now + durationMs);
      health.failures = [];
    }
    if (error.retryAfterSeconds !== undefined) health.coolUntil = Math.max(health.coolUntil, now + error.retryAfterSeconds * 1000);
  }

  /** For metrics and tests: deployments currently left out. */
  coolingDown(): string[] {
    const now = this.now();
    return [...this.health].filter(([, h]) => h.coolUntil > now).map(([name]) => name);
  }
}

function toDeployment(config: DeploymentConfig, env: NodeJS.ProcessEnv): Deployment {
  const patterns = config.models.map((m) => new RegExp(`^${m.split('*').map(escape).join('.*')}$`));
  return {
    name: config.name,
    weight: config.weight,
    endpoint: { provider: config.provider, baseUrl: config.baseUrl ?? providers[config.provider].defaultBaseUrl, apiKey: env[config.apiKeyEnv] ?? '' },
    serves: (modelId) => patterns.some((p) => p.test(modelId)),
  };
}

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
