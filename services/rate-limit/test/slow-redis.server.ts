import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a Redis that is up but slow: it answers the client's connection handshake at once (INFO for the
 * ready check, +OK to anything else) and answers scripts (EVAL/EVALSHA) only after `scriptDelayMs`, with a denial.
 * Replies keep the order of the commands, as Redis's do.
 */
export async function startSlowRedis(scriptDelayMs: number): Promise<{ url: string; replied(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let lastReply: Promise<void> = Promise.resolve();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let command = takeCommand(); command; command = takeCommand()) {
        const name = command[0]?.toLowerCase();
        const isScript = name === 'eval' || name === 'evalsha';
        const reply = isScript ? lateDenial : name === 'info' ? bulk('# Server\r\nredis_version:7.0.0\r\nloading:0\r\n') : '+OK\r\n';
        lastReply = lastReply
          .then(() => (isScript ? new Promise<void>((resolve) => setTimeout(resolve, scriptDelayMs)) : undefined))
          .then(() => {
            if (socket.destroyed) return;
            if (name === 'quit') socket.end(reply);
            else socket.write(reply);
          });
      }
    });

    // Takes one RESP array of bulk strings off the front of the buffer; undefined while it is incomplete.
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
    replied: () => lastReply,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// What the admit script returns for a denial: {0, request level, token level, wait in microseconds}.
const lateDenial = '*4\r\n:0\r\n$1\r\n0\r\n$1\r\n0\r\n:6000000\r\n';
const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
