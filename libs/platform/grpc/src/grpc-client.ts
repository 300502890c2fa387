import { ChannelOptions, Client, credentials, Metadata, ServiceError, CallOptions } from '@grpc/grpc-js';
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
) => unknown;

/** Calls a unary method with a deadline; failures come back as GatewayErrors. */
export function callUnary<Req, Res>(
  client: Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  deadlineMs: number,
  peer: string,
  metadata = new Metadata(),
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, metadata, { deadline: Date.now() + deadlineMs }, (error, response) => {
      if (error) reject(fromGrpcError(error, peer));
      else resolve(response);
    });
  });
}
