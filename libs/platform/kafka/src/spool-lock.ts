import { randomUUID } from 'node:crypto';
import { link, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** Lock files taken by this process, so a second spool over the same directory in one process is refused too. */
const heldHere = new Set<string>();

export class SpoolLockedError extends Error {
  constructor(
    readonly dir: string,
    holder: string,
  ) {
    super(`spool directory ${dir} is in use by ${holder}; give each process its own directory`);
    this.name = 'SpoolLockedError';
  }
}

export interface SpoolLock {
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
}

/**
 * Takes `<dir>/spool.lock`. Two processes appending to and deleting each other's segments would lose events, so a
 * directory has one owner. The lock names its holder (pid, host) and the holder touches it every `staleMs / 3`:
 * - on this host, a holder whose pid is gone, or is our own pid (a restarted container is pid 1 again), is stale;
 * - otherwise, a lock not touched for `staleMs` is stale (a holder on another host sharing the volume, or a pid
 *   reused by an unrelated process).
 * A stale lock is taken over; a live one makes this throw SpoolLockedError. Two processes taking over the same
 * stale lock at the same instant could both win; that needs two misconfigured processes starting together.
 */
export async function acquireSpoolLock(dir: string, { staleMs = 30_000 }: { staleMs?: number } = {}): Promise<SpoolLock> {
  const path = resolve(join(dir, 'spool.lock'));
  if (heldHere.has(path)) throw new SpoolLockedError(dir, `this process (pid ${process.pid})`);
  const me: Holder = { pid: process.pid, host: hostname(), token: randomUUID() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(path, JSON.stringify(me))) {
      heldHere.add(path);
      return holdLock(path, me, staleMs);
    }
    const found = await readHolder(path);
    if (found === 'gone') continue;
    if (!isStale(found, staleMs)) throw new SpoolLockedError(dir, `pid ${found.holder?.pid ?? '?'} on ${found.holder?.host ?? 'an unknown host'}`);
    await rm(path, { force: true });
  }
  throw new SpoolLockedError(dir, 'another process (the lock changed hands while this one tried to take it)');
}

/** Writes the lock under a private name, then links it into place: link fails if the lock exists, so no torn lock. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, content);
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

async function readHolder(path: string): Promise<{ holder?: Holder; ageMs: number } | 'gone'> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(text) as Holder;
    } catch {
      holder = undefined;
    }
    return { holder, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
}

function isStale({ holder, ageMs }: { holder?: Holder; ageMs: number }, staleMs: number): boolean {
  if (ageMs > staleMs) return true;
  if (!holder || holder.host !== hostname()) return false;
  return holder.pid === process.pid || !processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holdLock(path: string, me: Holder, staleMs: number): SpoolLock {
  const heartbeat = setInterval(() => {
    const now = new Date();
    void utimes(path, now, now).catch(() => undefined);
  }, staleMs / 3);
  heartbeat.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      heldHere.delete(path);
      // Only our own lock: if it was taken over meanwhile (this process stalled past staleMs), it is not ours to remove.
      const found = await readHolder(path).catch(() => 'gone' as const);
      if (found !== 'gone' && found.holder?.token === me.token) await rm(path, { force: true });
    },
  };
}
