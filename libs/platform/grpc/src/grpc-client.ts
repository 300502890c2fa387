import { ChannelOptions, Client, ClientUnaryCall, credentials, Metadata, ServiceError, CallOptions, status } from '@grpc/grpc-js';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { DeadlineExceededError, withDeadline } from './deadline';
import { fromGrpcError } from './grpc-errors';

/** One long-lived channel per peer, kept warm: the hot path never pays for a connection. */
export const channelOptions: ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
  'grpc.enable_retries': 0,
};

type ClientConstructor<C extends Client> = new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: ChannelOptions) => C;

/** Internal traffic is plaintext on a private network (loopback here; a service mesh adds mTLS in a cluster). */
export function createGrpcClient<C extends Client>(Ctor: ClientConstructor<C>, address: string): C {
  return new Ctor(address, credentials.createInsecure(), channelOptions);
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** gRPC's own deadline, past ours: it only reaps a call that our deadline already gave up on. */
const BACKSTOP_MS = 10_000;

/**
 * Calls a unary method with a deadline; failures come back as GatewayErrors (a missed deadline as
 * ServiceUnavailable whose cause has code DEADLINE_EXCEEDED, see isDeadlineExceeded).
 *
 * The deadline is ours (withDeadline), not gRPC's timer: after the event loop was busy for longer than the
 * deadline (a burst of requests), gRPC's timer would fire before the reply already waiting in the socket is read,
 * and a healthy peer would look like a slow one.
 */
export function callUnary<Req, Res>(
  client: Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  deadlineMs: number,
  peer: string,
  metadata = new Metadata(),
): Promise<Res> {
  let call: ClientUnaryCall | undefined;
  const answer = new Promise<Res>((resolve, reject) => {
    call = method.call(client, request, metadata, { deadline: Date.now() + deadlineMs + BACKSTOP_MS }, (error, response) => {
      if (error) reject(fromGrpcError(error, peer));
      else resolve(response);
    });
  });
  return withDeadline(answer, deadlineMs).catch((error: unknown) => {
    if (!(error instanceof DeadlineExceededError)) throw error;
    call?.cancel();
    throw new GatewayError(ErrorCode.ServiceUnavailable, `${peer} did not answer in time`, { cause: { code: status.DEADLINE_EXCEEDED } });
  });
}
