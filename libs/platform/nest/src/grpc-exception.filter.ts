import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import type { Logger } from 'pino';
import { isGatewayError } from '@apitopmix/platform/errors';
import { toGrpcError } from '@apitopmix/platform/grpc';

/** Every error leaving a gRPC handler becomes a gRPC status carrying the domain error code. */
@Catch()
export class GrpcExceptionFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    if (!isGatewayError(exception)) this.logger.error({ err: exception }, 'unexpected error in gRPC handler');
    return throwError(() => toGrpcError(exception));
  }
}
