import { ErrorCode, ErrorType, errorCodeInfo } from './error-codes';

export interface GatewayErrorOptions {
  /** The request field at fault, when there is one (OpenAI's `param`). */
  param?: string;
  /** Overrides the code's HTTP status: UpstreamRejected relays the upstream's 4xx; transport errors (413, 415) keep theirs. */
  status?: number;
  /** Seconds, for 429s. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The one error class of the gateway's domain. Messages are written for the API's callers and must never
 * contain a key, a provider secret or prompt text.
 */
export class GatewayError extends Error {
  readonly param?: string;
  readonly retryAfterSeconds?: number;
  private readonly statusOverride?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.param = options.param;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.statusOverride = options.status;
  }

  get status(): number {
    return this.statusOverride ?? errorCodeInfo[this.code].status;
  }

  get type(): ErrorType {
    return errorCodeInfo[this.code].type;
  }

  static invalid(message: string, param?: string): GatewayError {
    return new GatewayError(ErrorCode.InvalidRequest, message, { param });
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
