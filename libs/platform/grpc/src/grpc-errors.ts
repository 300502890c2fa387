import { Metadata, ServiceError, status } from '@grpc/grpc-js';
import { ErrorCode, GatewayError, isErrorCode, isGatewayError } from '@apitopmix/platform/errors';

const CODE = 'gateway-error-code';
const STATUS = 'gateway-error-status';
const PARAM = 'gateway-error-param';
const RETRY_AFTER = 'gateway-error-retry-after';

const grpcStatusByCode: Record<ErrorCode, status> = {
  [ErrorCode.InvalidRequest]: status.INVALID_ARGUMENT,
  [ErrorCode.MissingApiKey]: status.UNAUTHENTICATED,
  [ErrorCode.InvalidApiKey]: status.UNAUTHENTICATED,
  [ErrorCode.PermissionDenied]: status.PERMISSION_DENIED,
  [ErrorCode.ModelNotFound]: status.NOT_FOUND,
  [ErrorCode.RouteNotFound]: status.NOT_FOUND,
  [ErrorCode.NotFound]: status.NOT_FOUND,
  [ErrorCode.RateLimited]: status.RESOURCE_EXHAUSTED,
  [ErrorCode.InsufficientQuota]: status.FAILED_PRECONDITION,
  [ErrorCode.UpstreamRejected]: status.INVALID_ARGUMENT,
  [ErrorCode.UpstreamUnavailable]: status.UNAVAILABLE,
  [ErrorCode.UpstreamTimeout]: status.DEADLINE_EXCEEDED,
  [ErrorCode.ServiceUnavailable]: status.UNAVAILABLE,
  [ErrorCode.Internal]: status.INTERNAL,
};

export interface GrpcErrorObject {
  code: status;
  message: string;
  details: string;
  metadata: Metadata;
}

/** Server side: a domain error as a gRPC status, with the exact code in trailing metadata. */
export function toGrpcError(error: unknown): GrpcErrorObject {
  const gatewayError = isGatewayError(error) ? error : new GatewayError(ErrorCode.Internal, 'internal error');
  const metadata = new Metadata();
  metadata.set(CODE, gatewayError.code);
  metadata.set(STATUS, String(gatewayError.status));
  // Metadata values must be printable ASCII; a param named by an upstream may not be.
  if (gatewayError.param) metadata.set(PARAM, encodeURIComponent(gatewayError.param));
  if (gatewayError.retryAfterSeconds !== undefined) metadata.set(RETRY_AFTER, String(gatewayError.retryAfterSeconds));
  return { code: grpcStatusByCode[gatewayError.code], message: gatewayError.message, details: gatewayError.message, metadata };
}

/** Client side: a gRPC failure back into the domain error it carried, or a transport failure as 503. */
export function fromGrpcError(error: ServiceError, peer: string): GatewayError {
  const code = error.metadata?.get(CODE)[0];
  if (isErrorCode(code)) {
    const httpStatus = Number(error.metadata.get(STATUS)[0]);
    const retryAfter = error.metadata.get(RETRY_AFTER)[0];
    return new GatewayError(code, error.details, {
      param: decodeParam(error.metadata.get(PARAM)[0]),
      status: code === ErrorCode.UpstreamRejected && httpStatus >= 400 ? httpStatus : undefined,
      retryAfterSeconds: retryAfter === undefined ? undefined : Number(retryAfter),
    });
  }
  if (error.code === status.DEADLINE_EXCEEDED) return new GatewayError(ErrorCode.ServiceUnavailable, `${peer} did not answer in time`, { cause: error });
  if (error.code === status.UNAVAILABLE) return new GatewayError(ErrorCode.ServiceUnavailable, `${peer} is unavailable`, { cause: error });
  return new GatewayError(ErrorCode.Internal, 'internal error', { cause: error });
}

/** Whether a gRPC failure came from the transport (a reset stream, a peer gone) rather than as a domain error the peer sent. */
export function isTransportFailure(error: ServiceError): boolean {
  return !isErrorCode(error.metadata?.get(CODE)[0]);
}

function decodeParam(value: string | Buffer | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value.toString());
  } catch {
    return value.toString();
  }
}

/** Whether a call failed because the peer did not answer before the deadline (as opposed to being unreachable). */
export function isDeadlineExceeded(error: unknown): boolean {
  const cause = error instanceof GatewayError ? (error as { cause?: unknown }).cause : error;
  return typeof cause === 'object' && cause !== null && (cause as { code?: unknown }).code === status.DEADLINE_EXCEEDED;
}
