/**
 * Every error the gateway answers with. The code decides the HTTP status and the spec's error `type`
 * (`invalid_request_error`, `authentication_error`, ...); each dialect renders them in its own shape.
 */
export enum ErrorCode {
  InvalidRequest = 'invalid_request',
  MissingApiKey = 'missing_api_key',
  InvalidApiKey = 'invalid_api_key',
  PermissionDenied = 'permission_denied',
  ModelNotFound = 'model_not_found',
  RouteNotFound = 'route_not_found',
  NotFound = 'not_found',
  RateLimited = 'rate_limit_exceeded',
  InsufficientQuota = 'insufficient_quota',
  /** The upstream refused the request as invalid (4xx): its status and message go back to the caller. */
  UpstreamRejected = 'upstream_rejected',
  UpstreamUnavailable = 'upstream_unavailable',
  UpstreamTimeout = 'upstream_timeout',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
}

/** The spec's error types (its "Common Error Codes" table). */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'server_error'
  | 'service_unavailable';

interface CodeInfo {
  status: number;
  type: ErrorType;
}

export const errorCodeInfo: Record<ErrorCode, CodeInfo> = {
  [ErrorCode.InvalidRequest]: { status: 400, type: 'invalid_request_error' },
  [ErrorCode.MissingApiKey]: { status: 401, type: 'authentication_error' },
  [ErrorCode.InvalidApiKey]: { status: 401, type: 'authentication_error' },
  [ErrorCode.PermissionDenied]: { status: 403, type: 'permission_error' },
  [ErrorCode.ModelNotFound]: { status: 404, type: 'not_found_error' },
  [ErrorCode.RouteNotFound]: { status: 404, type: 'not_found_error' },
  [ErrorCode.NotFound]: { status: 404, type: 'not_found_error' },
  [ErrorCode.RateLimited]: { status: 429, type: 'rate_limit_error' },
  [ErrorCode.InsufficientQuota]: { status: 402, type: 'insufficient_quota' },
  [ErrorCode.UpstreamRejected]: { status: 400, type: 'invalid_request_error' },
  [ErrorCode.UpstreamUnavailable]: { status: 503, type: 'service_unavailable' },
  [ErrorCode.UpstreamTimeout]: { status: 503, type: 'service_unavailable' },
  [ErrorCode.ServiceUnavailable]: { status: 503, type: 'service_unavailable' },
  [ErrorCode.Internal]: { status: 500, type: 'server_error' },
};

const knownCodes = new Set<string>(Object.values(ErrorCode));
export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && knownCodes.has(value);
