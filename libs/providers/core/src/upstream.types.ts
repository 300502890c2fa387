/** Where one upstream deployment lives. Comes from configuration only: a caller can never choose it. */
export interface UpstreamEndpoint {
  provider: string;
  baseUrl: string;
  apiKey: string;
}

export interface UpstreamTimeouts {
  /** Most time allowed until the response headers arrive. */
  firstByteMs: number;
  /** Most silence allowed between two body chunks. */
  idleMs: number;
}

export interface UpstreamUsage {
  inputTokens: number;
  outputTokens: number;
}
