import { Metadata, ServiceError, status } from '@grpc/grpc-js';
import { ErrorCode, errorCodeInfo, GatewayError } from '@apitopmix/platform/errors';
import { fromGrpcError, GrpcErrorObject, toGrpcError } from './grpc-errors';

/** What a grpc-js client receives for a status the server sent: details is the server's message. */
function received(sent: GrpcErrorObject): ServiceError {
  return Object.assign(new Error(`${sent.code} ${status[sent.code]}: ${sent.details}`), { code: sent.code, details: sent.details, metadata: sent.metadata });
}

function transportError(code: status, metadata?: Metadata): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: No connection established`), {
    code,
    details: 'No connection established',
    metadata,
  }) as ServiceError;
}

const expectedGrpcStatus: Record<ErrorCode, status> = {
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

const allCodes = Object.values(ErrorCode);

describe('toGrpcError / fromGrpcError', () => {
  it('covers every ErrorCode', () => {
    expect(Object.keys(expectedGrpcStatus).sort()).toEqual([...allCodes].sort());
  });

  describe.each(allCodes)('%s', (code) => {
    it('maps to its gRPC status and survives the round trip with code, message, param and retry-after', () => {
      const original = new GatewayError(code, `message for ${code}: "quoted" ünïcode`, { param: 'messages[0].content', retryAfterSeconds: 17 });

      const sent = toGrpcError(original);
      const back = fromGrpcError(received(sent), 'billing');

      expect(sent.code).toBe(expectedGrpcStatus[code]);
      expect(sent.message).toBe(original.message);
      expect(back).toBeInstanceOf(GatewayError);
      expect(back).toMatchObject({ code, message: original.message, param: 'messages[0].content', retryAfterSeconds: 17 });
      expect(back.status).toBe(errorCodeInfo[code].status);
      expect(back.type).toBe(errorCodeInfo[code].type);
    });

    it('round-trips without the optional fields', () => {
      const back = fromGrpcError(received(toGrpcError(new GatewayError(code, 'plain'))), 'billing');

      expect(back.code).toBe(code);
      expect(back.message).toBe('plain');
      expect(back.param).toBeUndefined();
      expect(back.retryAfterSeconds).toBeUndefined();
      expect(back.status).toBe(errorCodeInfo[code].status);
    });
  });

  it('carries a param that is not printable ASCII (upstreams name fields freely)', () => {
    for (const param of ['tëmpérature', 'messages[0]\ncontent', '温度']) {
      const back = fromGrpcError(received(toGrpcError(new GatewayError(ErrorCode.UpstreamRejected, 'bad', { param, status: 422 }))), 'chat');
      expect(back.param).toBe(param);
      expect(back.status).toBe(422);
    }
  });

  it('keeps a retry-after of 0 seconds', () => {
    const back = fromGrpcError(received(toGrpcError(new GatewayError(ErrorCode.RateLimited, 'slow down', { retryAfterSeconds: 0 }))), 'rate-limit');
    expect(back.retryAfterSeconds).toBe(0);
  });

  it.each([400, 404, 409, 413, 422])('keeps the upstream status %i of UpstreamRejected', (httpStatus) => {
    const original = new GatewayError(ErrorCode.UpstreamRejected, "'temperature' must be at most 2", { status: httpStatus, param: 'temperature' });

    const sent = toGrpcError(original);
    const back = fromGrpcError(received(sent), 'chat');

    expect(sent.code).toBe(status.INVALID_ARGUMENT);
    expect(back).toMatchObject({ code: ErrorCode.UpstreamRejected, status: httpStatus, param: 'temperature', message: original.message });
  });

  it('does not let a status from metadata override the status of another code', () => {
    const sent = toGrpcError(new GatewayError(ErrorCode.RateLimited, 'limited'));
    sent.metadata.set('gateway-error-status', '418');

    expect(fromGrpcError(received(sent), 'rate-limit').status).toBe(429);
  });

  it('turns an error that is not a GatewayError into Internal without leaking its message', () => {
    const secret = 'connect ECONNREFUSED postgres://admin:hunter2@db:5432 for sk-atm-abcdef';

    for (const error of [new Error(secret), new TypeError(secret), secret, { message: secret }, undefined]) {
      const sent = toGrpcError(error);
      const back = fromGrpcError(received(sent), 'billing');

      expect(sent.code).toBe(status.INTERNAL);
      expect(JSON.stringify({ message: sent.message, details: sent.details, metadata: sent.metadata.getMap() })).not.toContain('hunter2');
      expect(back).toMatchObject({ code: ErrorCode.Internal, status: 500, message: 'internal error' });
      expect(back.message).not.toContain('hunter2');
    }
  });

  describe('transport failures (no gateway metadata)', () => {
    it.each([
      ['UNAVAILABLE', status.UNAVAILABLE, 'billing is unavailable'],
      ['DEADLINE_EXCEEDED', status.DEADLINE_EXCEEDED, 'billing did not answer in time'],
    ])('%s without metadata becomes ServiceUnavailable (503)', (_name, code, message) => {
      for (const metadata of [undefined, new Metadata()]) {
        const back = fromGrpcError(transportError(code, metadata), 'billing');

        expect(back).toBeInstanceOf(GatewayError);
        expect(back).toMatchObject({ code: ErrorCode.ServiceUnavailable, status: 503, message });
        expect(back.cause).toBeDefined();
      }
    });

    it('another status without metadata becomes Internal with a generic message', () => {
      const error = Object.assign(new Error('13 INTERNAL: stack trace with secrets'), {
        code: status.INTERNAL,
        details: 'stack trace with secrets',
        metadata: new Metadata(),
      });

      const back = fromGrpcError(error, 'billing');

      expect(back).toMatchObject({ code: ErrorCode.Internal, status: 500, message: 'internal error' });
    });

    it('metadata naming an unknown code is treated as a transport failure', () => {
      const metadata = new Metadata();
      metadata.set('gateway-error-code', 'no_such_code');

      expect(fromGrpcError(transportError(status.UNAVAILABLE, metadata), 'billing').code).toBe(ErrorCode.ServiceUnavailable);
    });
  });
});
