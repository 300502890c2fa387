import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireSpoolLock, SpoolLockedError } from './spool-lock';

describe('acquireSpoolLock', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'spool-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A pid that certainly belongs to no running process: one that just exited. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;
  const writeLock = (holder: object, ageMs = 0) => {
    const file = join(dir, 'spool.lock');
    writeFileSync(file, JSON.stringify(holder));
    const then = new Date(Date.now() - ageMs);
    utimesSync(file, then, then);
  };

  it('refuses a second holder in the same process until the first releases', async () => {
    const lock = await acquireSpoolLock(dir);
    await expect(acquireSpoolLock(dir)).rejects.toBeInstanceOf(SpoolLockedError);
    await lock.release();
    await (await acquireSpoolLock(dir)).release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a lock held by a live process on this host', async () => {
    writeLock({ pid: process.ppid, host: hostname(), token: 'other' });
    await expect(acquireSpoolLock(dir)).rejects.toThrow(/in use by pid \d+/);
  });

  it('takes over a lock left by a process that died (kill -9), at once', async () => {
    writeLock({ pid: deadPid(), host: hostname(), token: 'dead' });
    await (await acquireSpoolLock(dir)).release();
  });

  it('takes over a lock in our own pid that this process does not hold (a restarted container is pid 1 again)', async () => {
    writeLock({ pid: process.pid, host: hostname(), token: 'previous-life' });
    await (await acquireSpoolLock(dir)).release();
  });

  it('from another host: refused while its holder keeps it fresh, taken over once it is stale', async () => {
    writeLock({ pid: 1, host: 'another-host', token: 'remote' }, 1_000);
    await expect(acquireSpoolLock(dir, { staleMs: 30_000 })).rejects.toBeInstanceOf(SpoolLockedError);
    writeLock({ pid: 1, host: 'another-host', token: 'remote' }, 60_000);
    await (await acquireSpoolLock(dir, { staleMs: 30_000 })).release();
  });
});
