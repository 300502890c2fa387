import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';

/**
 * A stand-in for a Redis that is up but too slow: it answers the client's connection handshake (CLIENT SETNAME, INFO
 * for the ready check, anything else with +OK) and never answers a script (EVAL/EVALSHA), so calls hit the client's
 * command timeout.
 */
export async function startSilentRedis(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let command = takeCommand(); command; command = takeCommand()) {
        const name = command[0]?.toLowerCase();
        if (name === 'eval' || name === 'evalsha') continue;
        if (name === 'info') {
          const body = '# Server\r\nredis_version:7.0.0\r\nloading:0\r\n';
          socket.write(`$${Buffer.byteLength(body)}\r\n${body}\r\n`);
        } else socket.write('+OK\r\n');
      }
    });
    // Parses one RESP array of bulk strings off the front of the buffer, or returns undefined if incomplete.
    function takeCommand(): string[] | undefined {
      let at = 0;
      const line = () => {
        const end = buffered.indexOf('\r\n', at);
        if (end < 0) return undefined;
        const text = buffered.slice(at, end);
        at = end + 2;
        return text;
      };
      const header = line();
      if (header === undefined || !header.startsWith('*')) return undefined;
      const args: string[] = [];
      for (let i = 0; i < Number(header.slice(1)); i++) {
        const size = line();
        if (size === undefined) return undefined;
        const length = Number(size.slice(1));
        if (buffered.length < at + length + 2) return undefined;
        args.push(buffered.slice(at, at + length));
        at += length + 2;
      }
      buffered = buffered.slice(at);
      return args;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
